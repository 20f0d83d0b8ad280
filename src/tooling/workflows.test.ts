import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * GitHub workflows are checked against GitHub's workflow schema with action-validator
 * (npm @action-validator/cli, a wasm build: no download at install), so a typo in a workflow
 * fails here instead of on GitHub.
 */
const root = resolve(__dirname, '../..');
const workflowsDir = join(root, '.github/workflows');
const validator = join(root, 'node_modules/.bin/action-validator');

function validate(file: string): { ok: boolean; output: string } {
  try {
    return { ok: true, output: execFileSync(validator, [file], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe('GitHub workflows', () => {
  const files = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f));

  it('exist, and ci.yml runs the README test command', () => {
    expect(files).toContain('ci.yml');
    expect(readFileSync(join(workflowsDir, 'ci.yml'), 'utf8')).toMatch(/run:\s*npm test\b/);
  });

  it.each(files)('%s matches the workflow schema', (file) => {
    const { ok, output } = validate(join(workflowsDir, file));
    expect(output).toBe('');
    expect(ok).toBe(true);
  });

  it('the validator rejects a broken workflow (the lint can fail)', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'wf-')), 'bad.yml');
    writeFileSync(bad, 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    stepz: []\n');
    const { ok, output } = validate(bad);
    expect(ok).toBe(false);
    expect(output).toContain("Additional property 'stepz' is not allowed");
  });
});
