/**
 * End to end: the real lab (headless Chromium, local server, js and raw arms) on one fast
 * scenario, then the gate on its results file. Behaviour only, no timing: the gate passes the run
 * against a baseline made from it, and fails the same run with the js arm made slower IN THE
 * DATA (slowArmInResults) by more than the run's own CIs could hide, naming js/raw.
 *
 * Whether the test-only slowdown knob (`--test-slowdown js=F`) makes the gate fail on a measured
 * run is a timing question (CIs on a shared 2-core machine decide it): a benchmark, not a test
 * (docs/method.md#what-the-gate-gates). e2e/harness/slowdown.test.ts checks the knob's
 * factor on a fake clock.
 *
 * Needs what `npm test` sets up: node_modules, rust-wasm/pkg (the page imports it) and Chromium.
 * Builds the page into a temp dir of its own (never touches dist/).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeBaseline, parseResults } from './baseline';
import { gateMain } from './cli';
import { compare, detectable } from './compare';
import { slowArmInResults } from './synthetic';

const root = resolve(__dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'gate-e2e-'));
const SCENARIO = 'publish-ack-latency';

function lab(out: string): void {
  // cwd = work: the lab serves ./dist (our own build) and writes nothing into the repository.
  execFileSync(
    join(root, 'node_modules/.bin/tsx'),
    [
      join(root, 'src/cli/lab.ts'),
      '--quick',
      '--arms',
      'js,raw',
      '--scenarios',
      SCENARIO,
      '--budget',
      '20',
      '--out',
      out,
    ],
    {
      cwd: work,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 180_000,
    },
  );
}

const quietIo = () => {
  const lines: string[] = [];
  return {
    lines,
    io: { log: (s: string) => lines.push(s), error: (s: string) => lines.push(s), env: {}, runLab: () => 1 },
  };
};

describe('gate end to end on a real lab run', () => {
  const base = join(work, 'base.json');
  const slow = join(work, 'slow.json');
  const baseline = join(work, 'baseline.json');
  const JS_RAW = `${SCENARIO} [json] js/raw`;
  let factor = 0;

  beforeAll(() => {
    execFileSync(
      join(root, 'node_modules/.bin/vite'),
      ['build', '--outDir', join(work, 'dist'), '--emptyOutDir', '--logLevel', 'warn'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 },
    );
    lab(base);
    const plain = parseResults(readFileSync(base, 'utf8'));
    // The smallest regression this run's CIs could prove (the gate's own "catches ≥"), and then
    // some: a slowdown the gate must catch whatever the machine's load did to the CIs.
    const row = compare(makeBaseline(plain), plain).rows.find((r) => r.id === JS_RAW)!;
    factor = Math.max(2, 1.25 * detectable(row)!);
    writeFileSync(slow, JSON.stringify(slowArmInResults(plain, 'js', factor)));
  }, 600_000);

  it('the run measured js and raw on the scenario, with a js/raw CI', () => {
    const plain = parseResults(readFileSync(base, 'utf8'));
    const s = plain.scenarios.find((x) => x.id === SCENARIO)!;
    expect(s.status, s.reason ?? '').toBe('ok');
    const c = s.comparisons.find((x) => x.candidate === 'js' && x.reference === 'raw')!;
    expect(c.ci[0]!).toBeGreaterThan(0);
    expect(c.ci[0]!).toBeLessThanOrEqual(c.ratio!);
    expect(c.ci[1]!).toBeGreaterThanOrEqual(c.ratio!);
    expect(Number.isFinite(factor) && factor >= 2).toBe(true);
  });

  it('the gate passes the run against itself and FAILS its synthetic regression on js/raw', () => {
    const w = quietIo();
    expect(gateMain(['--write-baseline', '--results', base, '--baseline', baseline], w.io)).toBe(0);
    const ok = quietIo();
    expect(
      gateMain(['--results', base, '--baseline', baseline, '--out-dir', join(work, 'gate-plain')], ok.io),
      ok.lines.join('\n'),
    ).toBe(0);
    const bad = quietIo();
    const code = gateMain(['--results', slow, '--baseline', baseline, '--out-dir', join(work, 'gate-slow')], bad.io);
    const text = bad.lines.join('\n');
    expect(code, text).toBe(1);
    expect(text).toMatch(new RegExp(`${SCENARIO} \\[json\\] js/raw: \\+\\d+\\.\\d% worse than the baseline`));
    const report = JSON.parse(readFileSync(join(work, 'gate-slow', 'gate.json'), 'utf8')) as {
      rows: { id: string; status: string }[];
    };
    expect(report.rows.find((r) => r.id === JS_RAW)!.status).toBe('regressed');
    // raw was not touched: its ratio did not move.
    expect(report.rows.find((r) => r.id === `${SCENARIO} [json] raw`)!.status).toBe('ok');
  });
});
