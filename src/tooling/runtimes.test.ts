import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The web and Node tsconfig projects keep each runtime's globals out of the other: a fixture file
 * is added (in memory, never written) to the real program of a project, in a folder that project
 * owns, and must fail to typecheck when it uses the other runtime's globals — and pass when it
 * uses its own. The real program matters: a dependency whose types pull in @types/node (or the
 * DOM lib) would make the leaking fixture compile, and fail this test.
 */
const root = resolve(__dirname, '../..');

function project(name: string): ts.ParsedCommandLine {
  const file = resolve(root, `tsconfig.${name}.json`);
  const read = ts.readConfigFile(file, (p) => ts.sys.readFile(p));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, file);
}

/** Diagnostics of `fixture` (placed at `path`, relative to the repo) within the project's whole program. */
function check(name: string, path: string, fixture: string): string[] {
  const parsed = project(name);
  const fixturePath = resolve(root, path);
  const host = ts.createCompilerHost(parsed.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (f, lang, ...rest) =>
    resolve(f) === fixturePath ? ts.createSourceFile(f, fixture, lang) : getSourceFile.call(host, f, lang, ...rest);
  host.fileExists = (f) => resolve(f) === fixturePath || fileExists.call(host, f);
  host.readFile = (f) => (resolve(f) === fixturePath ? fixture : readFile.call(host, f));
  const program = ts.createProgram({ rootNames: [...parsed.fileNames, fixturePath], options: parsed.options, host });
  const sf = program.getSourceFile(fixturePath);
  if (!sf) throw new Error(`${path} is not in the program`);
  return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );
}

const owns = (name: string, path: string) =>
  project(name)
    .fileNames.map((f) => resolve(f))
    .includes(resolve(root, path));
const slow = { timeout: 180_000 };

describe('tsconfig projects by runtime', () => {
  it('a worker file that uses process or Buffer fails the web project', slow, () => {
    const errors = check(
      'web',
      'src/workers/leak-fixture.worker.ts',
      'export const env = process.env.X;\nexport const b = Buffer.from("x");\n',
    );
    expect(errors.some((e) => e.includes("Cannot find name 'process'"))).toBe(true);
    expect(errors.some((e) => e.includes("Cannot find name 'Buffer'"))).toBe(true);
    expect(
      check(
        'web',
        'src/workers/ok-fixture.worker.ts',
        'export const iso: boolean = self.crossOriginIsolated;\nexport const t = document.title;\n',
      ),
    ).toEqual([]);
  });

  it('a server file that uses document fails the Node project', slow, () => {
    const errors = check('node', 'src/server/leak-fixture.ts', 'export const title = document.title;\n');
    expect(errors.some((e) => e.includes("Cannot find name 'document'"))).toBe(true);
    expect(
      check(
        'node',
        'src/server/ok-fixture.ts',
        'export const env = process.env.X;\nexport const b = Buffer.from("x");\n',
      ),
    ).toEqual([]);
  });

  it('each runtime folder belongs to its project', () => {
    for (const f of [
      'src/workers/arm.ts',
      'src/runner/runner.ts',
      'src/sdk-adapters/adapter.ts',
      'src/ui/main.ts',
      'src/lab/stats.ts',
      'src/runner/page.ts',
      'e2e/harness/test-arm.ts',
    ]) {
      expect({ f, web: owns('web', f), node: owns('node', f) }).toEqual({ f, web: true, node: false });
    }
    for (const f of [
      'src/server/index.ts',
      'src/cli/headless.ts',
      'src/gate/cli.ts',
      'src/ui/serve-plugin.ts',
      'vite.config.ts',
      'e2e/vite.config.ts',
    ]) {
      expect({ f, web: owns('web', f), node: owns('node', f) }).toEqual({ f, web: false, node: true });
    }
  });

  it('every tracked TypeScript file is in at least one project (nothing escapes the typecheck)', () => {
    const covered = new Set(['web', 'node', 'test'].flatMap((n) => project(n).fileNames.map((f) => resolve(f))));
    const tracked = execFileSync('git', ['ls-files', '*.ts'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    expect(tracked.length).toBeGreaterThan(100);
    expect(tracked.filter((f) => !covered.has(resolve(root, f)))).toEqual([]);
  });
});
