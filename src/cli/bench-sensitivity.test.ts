import { describe, expect, it } from 'vitest';
import { makeBaseline } from '../gate/baseline';
import { compare } from '../gate/compare';
import { type SynthScenario, synthRun } from '../gate/synthetic';
import { familyOf, parseSensitivityCli, sensitivityTable, slowdownArgs, type Trial, tally } from './bench-sensitivity';

const SCENARIOS: SynthScenario[] = [
  { id: 'publish-ack-latency', truth: { js: 1, raw: 0.5 } },
  { id: 'rest-publish-single-100', truth: { js: 2, raw: 1.5 } },
];
const slowJs = (f: number) => SCENARIOS.map((s) => ({ ...s, truth: { ...s.truth, js: s.truth.js! * f } }));
const families = { 'publish-ack-latency': 'latency', 'rest-publish-single-100': 'rest' };

describe('bench:sensitivity tally', () => {
  const baseline = makeBaseline(synthRun(SCENARIOS, { seed: 1, rounds: 12, noise: 0.02 }));
  const trial = (factor: number, seed: number): Trial => ({
    factor,
    gate: compare(baseline, synthRun(factor === 1 ? SCENARIOS : slowJs(factor), { seed, rounds: 12, noise: 0.02 })),
    families,
  });
  const trials = [1, 2, 3].flatMap((i) => [trial(1, 10 + i), trial(1.5, 20 + i), trial(1.01, 30 + i)]);

  it('counts false alarms on unchanged runs and detections of the slowed arm per family', () => {
    const rates = tally(trials, 'js');
    expect(rates.map((r) => r.family)).toEqual(['latency', 'rest']);
    for (const r of rates) {
      expect(r.falseAlarms).toEqual({ k: 0, n: 3 });
      expect(r.detections['1.5']).toMatchObject({ k: 3, n: 3 }); // 50% slower: caught every time
      expect(r.detections['1.01']).toMatchObject({ k: 0, n: 3 }); // 1%: below the 10% limit
      expect(r.detections['1.5']!.changes.every((c) => c > 1.3)).toBe(true);
    }
    const md = sensitivityTable(rates, 'js');
    expect(md).toMatch(/\| latency \| 0\/3 \(0%\) \| 0\/3 \(0%\) \[×[01]\.\d+\] \| 3\/3 \(100%\) \[×1\.\d+\] \|/);
  });

  it('a regression of an arm other than the slowed one is not a detection', () => {
    const slowRaw = SCENARIOS.map((s) => ({ ...s, truth: { ...s.truth, raw: s.truth.raw! * 1.5 } }));
    const t: Trial = {
      factor: 1.2,
      gate: compare(baseline, synthRun(slowRaw, { seed: 5, rounds: 12, noise: 0.02 })),
      families,
    };
    // raw slower makes js/raw look better, never a js regression.
    expect(tally([t], 'js').every((r) => r.detections['1.2']!.k === 0)).toBe(true);
  });

  it('counts the CPU-per-message ratios of either arm of a pair', () => {
    const sub = (jsCpu: number, rawCpu: number): SynthScenario => ({
      id: 'subscribe-throughput',
      better: 'higher',
      unit: 'msg/s',
      truth: { js: 20_000, raw: 40_000 },
      cpuPerMsg: { js: jsCpu, raw: rawCpu },
    });
    const base = makeBaseline(synthRun([sub(10, 5)], { seed: 1, rounds: 12, noise: 0.02 }));
    const fams = { 'subscribe-throughput': 'throughput' };
    const t = (jsCpu: number, rawCpu: number): Trial => ({
      factor: 1.5,
      gate: compare(base, synthRun([sub(jsCpu, rawCpu)], { seed: 2, rounds: 12, noise: 0.02 })),
      families: fams,
    });
    expect(tally([t(15, 5)], 'js')[0]!.detections['1.5']).toMatchObject({ k: 1, n: 1 });
    // raw is the reference of js/raw cpu/msg: its change is counted for raw too.
    const forRaw = tally([t(10, 7.5)], 'raw')[0]!.detections['1.5']!;
    expect(forRaw.changes).toHaveLength(1);
    expect(forRaw.changes[0]).toBeLessThan(0.8);
  });

  it('keeps its use of the test-only knob in one place, and checks its options', () => {
    expect(slowdownArgs('js', 1.1)).toEqual(['--test-slowdown', 'js=1.1']);
    expect(familyOf({ id: 'rest-publish-batch10-100', group: 'throughput' })).toBe('rest');
    expect(familyOf({ id: 'connect', group: 'latency' })).toBe('latency');
    expect(parseSensitivityCli([])).toMatchObject({
      trials: 5,
      factors: [1.05, 1.1, 1.2],
      slow: 'js',
      // What the gate runs (GATE_LAB_ARGS), or the rates would describe another gate.
      labArgs: ['--quick', '--until-budget'],
    });
    expect(() => parseSensitivityCli(['--factors', '0.9'])).toThrow(/\(1, 100\]/);
    expect(() => parseSensitivityCli(['--slow', 'rust'])).toThrow(/not one of --arms/);
    expect(() => parseSensitivityCli(['--', '--test-slowdown', 'js=2'])).toThrow(/set by bench:sensitivity/);
  });
});
