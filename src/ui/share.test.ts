import { describe, expect, it } from 'vitest';
import { synthRun } from '../gate/synthetic';
import { mergeRuns } from '../lab/merged';
import type { LabResultsV1 } from '../lab/results';
import { parseResultsText, shareLink } from './share';

const run = (engine: 'chromium' | 'firefox', seed: number): LabResultsV1 => {
  const r = synthRun([{ id: 'connect', truth: { rust: 1, js: 2 } }], { seed });
  r.environment.engine = {
    name: engine,
    version: '1.2.3',
    protocol: engine === 'chromium' ? 'cdp' : 'bidi',
    remote: false,
  };
  return r;
};
const merged = () =>
  mergeRuns(
    [
      { name: 'c.json', value: run('chromium', 1) },
      { name: 'f.json', value: run('firefox', 2) },
    ],
    new Date('2026-11-30T00:00:00Z'),
  );

describe('opening a file on the page', () => {
  it('opens a results file and a merged file (every run, each with its engine)', () => {
    expect(parseResultsText(JSON.stringify(run('chromium', 1)))).toMatchObject({ ok: true, results: {} });
    const m = parseResultsText(JSON.stringify(merged()));
    expect(m.ok && 'merged' in m && m.merged.runs.map((r) => r.environment.engine?.name)).toEqual([
      'chromium',
      'firefox',
    ]);
  });

  it('refuses a merged file with one bad run whole, naming the run; and a bad envelope', () => {
    const m = merged();
    (m.runs[1] as unknown as { scenarios: unknown }).scenarios = [{ id: '<script>' }];
    const bad = parseResultsText(JSON.stringify(m));
    expect(bad).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not a valid merged lab file: merged\.runs\[1\]: /),
    });
    expect(parseResultsText(JSON.stringify({ ...merged(), runs: [] }))).toMatchObject({
      ok: false,
      error: expect.stringContaining('merged.runs: expected a non-empty array'),
    });
    expect(parseResultsText(JSON.stringify({ ...merged(), schemaVersion: 9 }))).toMatchObject({
      ok: false,
      error: expect.stringContaining('merged.schemaVersion: this lab reads version 1, got 9'),
    });
  });

  it('makes one link for a merged file, or says it is too large', async () => {
    const ok = await shareLink(merged(), 'https://lab.example/');
    expect(ok).toMatchObject({ ok: true, url: expect.stringMatching(/^https:\/\/lab\.example\/#r1\./) });
    const big = await shareLink(merged(), 'https://lab.example/', { encoded: 50 });
    expect(big).toMatchObject({ ok: false, error: expect.stringContaining('these 2 runs are too large for a link') });
  });
});
