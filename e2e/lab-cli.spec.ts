import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { validateResults, type LabResultsV1 } from '../src/lab/results.ts';

/**
 * `npm run lab` as a user runs it, with one scenario made to fail on purpose (the test-only
 * wire-loss fault, which runs the test build's harness page, dist-e2e/): the run goes on, the
 * files are written and valid, the failure is named with its reason, and the exit code says the
 * run had a failure.
 */
const root = resolve(import.meta.dirname, '..');

function lab(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const work = mkdtempSync(join(tmpdir(), 'lab-cli-'));
    execFile(
      join(root, 'node_modules/.bin/tsx'),
      [join(root, 'src/cli/lab.ts'), ...args],
      { cwd: work, env: { ...process.env, LAB_DIST: join(root, 'dist-e2e') }, timeout: 180_000 },
      (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

test('a failing scenario is recorded with its reason; the others run; the files are written; exit code 1', async () => {
  test.setTimeout(240_000);
  const out = join(mkdtempSync(join(tmpdir(), 'lab-cli-out-')), 'run.json');
  const r = await lab([
    '--quick',
    '--budget',
    '15',
    '--arms',
    'js,raw',
    '--scenarios',
    'connect,subscribe-throughput,ws-roundtrip',
    '--test-fault',
    'subscribe-throughput:discard=100000',
    '--out',
    out,
  ]);
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
  const results = JSON.parse(readFileSync(out, 'utf8')) as LabResultsV1;
  const v = validateResults(results);
  expect(v.ok ? [] : v.errors).toEqual([]);
  expect(results.scenarios.map((s) => [s.id, s.status])).toEqual([
    ['connect', 'ok'],
    ['subscribe-throughput', 'failed'],
    ['ws-roundtrip', 'ok'],
  ]);
  const failed = results.scenarios[1]!;
  expect(failed.reason).toMatch(/^integrity violated on (js|raw): 2000 lost/);
  expect(results.environment.notes.join('\n')).toMatch(/TEST-ONLY fault/);
  // The terminal says which scenario failed and why: on its progress line and at the end.
  expect(r.stdout).toMatch(
    /subscribe-throughput … failed, 0 rounds .*\n {4}reason: integrity violated on (js|raw): 2000 lost/,
  );
  expect(r.stdout).toMatch(
    /FAILED: 1 of 3 scenarios \(the others completed[^\n]*\n {2}subscribe-throughput \[json\] after 0 rounds: integrity violated/,
  );
  expect(r.stdout).toContain('FAILED: integrity violated'); // the table's notes column
  expect(readFileSync(out.replace(/\.json$/, '.md'), 'utf8')).toContain('**1 of 3 scenarios failed**');
});

test('the local server and the browser run on separate CPUs by default; --no-pin lets them share', async () => {
  test.setTimeout(120_000);
  // Pinning needs 2+ CPUs and taskset on Linux, as this machine has (src/cli/pinning.ts).
  const cpus = availableParallelism();
  expect(cpus).toBeGreaterThanOrEqual(2);
  for (const pin of [true, false]) {
    const out = join(mkdtempSync(join(tmpdir(), 'lab-cli-out-')), 'run.json');
    const args = ['--quick', '--budget', '5', '--arms', 'js,raw', '--scenarios', 'connect', '--out', out];
    const r = await lab(pin ? args : [...args, '--no-pin']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const env = (JSON.parse(readFileSync(out, 'utf8')) as LabResultsV1).environment;
    // The browser's own view of its CPUs (navigator.hardwareConcurrency) shows the CPU set it got.
    expect(env.cores).toBe(pin ? cpus - 1 : cpus);
    expect(env.notes).toContain(
      pin
        ? `cores pinned (taskset): local server on CPU 0, browser on CPU ${cpus === 2 ? '1' : `1-${cpus - 1}`}; --no-pin to let them share`
        : 'cores not pinned: --no-pin',
    );
  }
});
