/** `npm run lab` as a child process (what the CLI e2e specs run): the built page from dist/, a private working dir. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');

export function runLabCli(
  args: string[],
  timeoutMs = 240_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const work = mkdtempSync(join(tmpdir(), 'lab-cli-'));
    execFile(
      join(root, 'node_modules/.bin/tsx'),
      [join(root, 'src/cli/lab.ts'), ...args],
      { cwd: work, env: { ...process.env, LAB_DIST: join(root, 'dist') }, timeout: timeoutMs },
      (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}
