import { describe, expect, it } from 'vitest';
import { synthRun } from '../gate/synthetic';
import { aaMarkdown, aaRows, aaText, parseAaCli, summariseAa } from './bench-aa';

/** An A/A run as the lab writes it: one SDK twice (js and js'), one comparison per scenario. */
function aaRun(seed: number, truth: Record<string, number>) {
  return synthRun(
    [
      { id: 'publish-ack-latency', truth },
      { id: 'connect', truth: { js: 5, "js'": 5 } },
    ],
    { seed, rounds: 8, noise: 0.05, aa: true },
  );
}

describe('bench:aa report', () => {
  it('lists every A/A comparison with its CI and counts false verdicts', () => {
    const rows = [
      ...aaRows(aaRun(1, { js: 1, "js'": 1 }), 1),
      // A harness that made the copy 30% slower would be a false verdict.
      ...aaRows(aaRun(2, { js: 1, "js'": 1.3 }), 2),
    ];
    expect(rows.map((r) => `${r.repeat} ${r.scenario}`)).toEqual([
      '1 publish-ack-latency',
      '1 connect',
      '2 publish-ack-latency',
      '2 connect',
    ]);
    const s = summariseAa(rows);
    expect(s.rows).toBe(4);
    expect(s.falseVerdicts).toBe(1);
    expect(s.equivalent + s.unsure + s.falseVerdicts).toBe(4);
    expect(aaText(rows)).toMatch(/SLOWER \(false\)/);
    expect(aaText(rows)).toMatch(/1 faster\/slower \(false verdicts; target 0\)/);
    expect(aaMarkdown(rows, ['npx tsx src/cli/lab.ts --aa'])).toMatch(/\| js'\/js \| 1 \| publish-ack-latency \|/);
  });

  it('says when every repeat leans the same way (what a harness bias would do)', () => {
    const rows = [1, 2, 3].flatMap((k) => aaRows(aaRun(10 + k, { js: 1, "js'": 1.1 }), k));
    const ack = summariseAa(rows).lean.find((l) => l.scenario === 'publish-ack-latency')!;
    expect(ack).toMatchObject({ arm: 'js', above: 3, below: 0 });
    expect(aaText(rows)).toMatch(/publish-ack-latency: ratios .* 0 below 1, 3 above \(all one way/);
  });

  it('refuses a run that is not A/A, and lab options it sets itself', () => {
    expect(() => aaRows(synthRun([{ id: 'connect', truth: { js: 1, raw: 1 } }], { seed: 1 }), 1)).toThrow(
      /not an A\/A/,
    );
    expect(parseAaCli([])).toMatchObject({ arms: ['js'], repeat: 1, outDir: 'results/aa', labArgs: ['--quick'] });
    expect(parseAaCli(['--arms', 'js,raw', '--repeat', '3', '--', '--budget', '60']).labArgs).toEqual([
      '--budget',
      '60',
    ]);
    expect(() => parseAaCli(['--', '--aa'])).toThrow(/set by bench:aa/);
    expect(() => parseAaCli(['--arms', 'go'])).toThrow(/unknown arm/);
  });
});
