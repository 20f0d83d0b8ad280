import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type LabResultsV1, validateResults } from '../src/lab/results.ts';
import { validateMerged } from '../src/lab/merged.ts';
import { root, runLabCli } from './lab-process.ts';

/**
 * `npm run lab -- --browser firefox`: the same scenarios, arms and statistics in Debian's Firefox
 * ESR over WebDriver BiDi. The results name the engine and its isolation and timer; what Firefox
 * cannot measure (a worker's JS heap) is a skipped memory scenario whose reason carries the
 * Rust SDK's own wasm figures, not a made-up number. Then `npm run lab:merge` combines it with a
 * Chromium run: one file, each run's environment kept, rust/js per engine side by side.
 */
test('lab --browser firefox: a latency scenario compares the arms; memory says what is measurable; lab:merge with a Chromium run', async () => {
  test.setTimeout(400_000);
  const out = join(mkdtempSync(join(tmpdir(), 'lab-firefox-')), 'run.json');
  const r = await runLabCli([
    '--quick',
    '--budget',
    '20',
    '--browser',
    'firefox',
    '--scenarios',
    'publish-ack-latency,memory-idle-client',
    '--out',
    out,
  ]);
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  const results = JSON.parse(readFileSync(out, 'utf8')) as LabResultsV1;
  const v = validateResults(results);
  expect(v.ok ? [] : v.errors).toEqual([]);
  const env = results.environment;
  expect(env.engine).toMatchObject({ name: 'firefox', protocol: 'bidi', remote: false });
  expect(env.engine!.version).toMatch(/^\d+\.\d+/);
  expect(env.browser).toBe(`Firefox ${env.engine!.version}`);
  expect(env.userAgent).toMatch(/Firefox\//);
  expect(env.crossOriginIsolated).toBe(true);
  expect(env.timerGranularityUs).toBeGreaterThan(0);
  expect(env.memoryMethod).toBe('none');
  // Worker CPU from /proc ("DOM Worker" threads), found by the same spin as in Chromium.
  expect(env.cpuMethod).toBe('proc');

  const [latency, memory] = results.scenarios;
  expect(latency).toMatchObject({ id: 'publish-ack-latency', status: 'ok' });
  expect(latency!.arms.map((a) => a.arm).sort()).toEqual(results.arms.map((a) => a.id).sort());
  expect(latency!.comparisons.length).toBeGreaterThan(0);
  expect(memory).toMatchObject({ id: 'memory-idle-client', status: 'skipped', arms: [], comparisons: [] });
  expect(memory!.reason).toMatch(/no per-worker JS heap API/);
  if (results.arms.some((a) => a.sdk === 'rust'))
    expect(memory!.reason).toMatch(/measurable: rust: wasm live -?\d+ B, wasm reserved \+\d+ B/);

  // A Chromium run of the same scenario, then both merged.
  const chromiumOut = join(mkdtempSync(join(tmpdir(), 'lab-chromium-')), 'run.json');
  const c = await runLabCli(['--quick', '--budget', '15', '--scenarios', 'publish-ack-latency', '--out', chromiumOut]);
  expect(c.code, `${c.stdout}\n${c.stderr}`).toBe(0);
  const mergedOut = join(mkdtempSync(join(tmpdir(), 'lab-merged-')), 'merged.json');
  const printed = execFileSync(
    join(root, 'node_modules/.bin/tsx'),
    [join(root, 'src/cli/merge.ts'), chromiumOut, out, '--out', mergedOut],
    { encoding: 'utf8' },
  );
  const merged = validateMerged(JSON.parse(readFileSync(mergedOut, 'utf8')));
  expect(merged.ok ? [] : merged.errors).toEqual([]);
  if (!merged.ok) return;
  expect(merged.value.runs.map((x) => x.environment.engine?.name)).toEqual(['chromium', 'firefox']);
  expect(merged.value.runs[1]).toEqual(results); // each run kept whole, environment included
  expect(printed).toMatch(/publish-ack-latency \[json\]\s+lower\s+\d\.\d+ \[[^\]]+\] \w+\s+\d\.\d+ \[[^\]]+\] \w+/);
  expect(printed).toMatch(/firefox: Firefox [\d.]+, bidi, crossOriginIsolated=true/);
  expect(printed).toContain(`Wrote ${mergedOut} (2 runs).`);
});
