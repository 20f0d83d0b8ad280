/**
 * The gate can fail, and only when it should: synthetic paired results (lab statistics, real
 * CIs) for a 20% regression, noise, an improvement, missing metrics, failed scenarios and
 * schema mismatches; plus the CLI end to end on files.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateResults } from '../lab/results';
import { formatBaseline, GateInputError, makeBaseline, parseBaseline, parseResults } from './baseline';
import {
  changeWithCi,
  classify,
  compare,
  confirmWith,
  detectable,
  type GateRow,
  pct,
  regressedScenarios,
} from './compare';
import { gateMain, parseThreshold, withoutScenarios } from './cli';
import { pairedRatio } from '../lab/stats';
import { at95, extractMetrics } from './metrics';
import { benchmarkFiles, markdownReport, textReport } from './report';
import { type SynthScenario, slowArmInResults, synthRun } from './synthetic';

const ACK: SynthScenario = { id: 'publish-ack-latency', truth: { js: 1.0, raw: 0.5 } };
const REST: SynthScenario = { id: 'rest-publish-single-100', truth: { js: 2.0, raw: 1.5 } };
const SUB: SynthScenario = {
  id: 'subscribe-throughput',
  better: 'higher',
  unit: 'msg/s',
  truth: { js: 20_000, raw: 40_000 },
};
const BASE = [ACK, REST, SUB];

/** Same scenarios with the js arm's true cost multiplied by `f` (rates divided). */
const slowJs = (f: number, scenarios = BASE): SynthScenario[] =>
  scenarios.map((s) => ({
    ...s,
    truth: { ...s.truth, js: s.better === 'higher' ? s.truth.js! / f : s.truth.js! * f },
  }));

// A quiet run of the lab: per-arm noise CV 2% per round, a shared per-round load (±10%) that
// pairing cancels, 12 rounds.
const baseline = makeBaseline(synthRun(BASE, { seed: 1, rounds: 12, noise: 0.02 }));
const row = (rows: GateRow[], id: string) => {
  const r = rows.find((x) => x.id === id);
  if (!r) throw new Error(`no row ${id}: ${rows.map((x) => x.id).join(', ')}`);
  return r;
};

describe('synthetic fixtures', () => {
  it('are valid schema-v1 results', () => {
    const v = validateResults(synthRun(BASE, { seed: 3 }));
    expect(v.ok ? [] : v.errors).toEqual([]);
  });
});

describe('metrics', () => {
  it('makes rates time-like: a lower throughput is a higher value', () => {
    const r = synthRun([SUB], { seed: 2, noise: 0.001, drift: 0.001 });
    const ms = extractMetrics(r);
    const ratio = ms.find((m) => m.id === 'subscribe-throughput [json] js/raw')!;
    // js moves half the messages of raw: time-like ratio 2 (js costs twice as much per message).
    expect(ratio.value).toBeCloseTo(2, 1);
    expect(ratio.ci[0]!).toBeLessThanOrEqual(ratio.value);
    expect(ratio.ci[1]!).toBeGreaterThanOrEqual(ratio.value);
    const abs = ms.find((m) => m.id === 'subscribe-throughput [json] js')!;
    expect(abs.kind).toBe('absolute');
    expect(abs.value).toBeCloseTo(1 / 20_000, 6);
  });

  it('skips scenarios that did not complete', () => {
    const r = synthRun([ACK, { ...REST, status: 'skipped' }], { seed: 2 });
    expect(extractMetrics(r).some((m) => m.scenario === REST.id)).toBe(false);
  });
});

describe('at95', () => {
  it('rescales a repeated (wider) CI back to the 95% t-interval it came from', () => {
    const ref = [10, 11, 9.5, 10.4, 10.1, 9.8];
    const cand = [12, 12.5, 11.1, 12.9, 11.7, 12.2];
    const wide = pairedRatio(ref, cand, 0.99);
    const plain = pairedRatio(ref, cand, 0.95);
    const [lo, hi] = at95({ ratio: wide.ratio, ci: [wide.ci.lo, wide.ci.hi], n: wide.n, level: 0.99 });
    expect(lo!).toBeCloseTo(plain.ci.lo, 10);
    expect(hi!).toBeCloseTo(plain.ci.hi, 10);
    expect(wide.ci.hi - wide.ci.lo).toBeGreaterThan(plain.ci.hi - plain.ci.lo);
  });
  it('leaves 95% and older (level-less) comparisons alone', () => {
    expect(at95({ ratio: 1.2, ci: [1.1, 1.3], n: 5 })).toEqual([1.1, 1.3]);
    expect(at95({ ratio: 1.2, ci: [1.1, 1.3], n: 5, level: 0.95 })).toEqual([1.1, 1.3]);
  });
});

describe('changeWithCi / classify', () => {
  it('combines both runs’ CIs in log space', () => {
    const c = changeWithCi(
      { value: 1, ci: [1 / Math.exp(0.03), Math.exp(0.03)] },
      { value: 1.2, ci: [1.2 / Math.exp(0.04), 1.2 * Math.exp(0.04)] },
    );
    expect(c.change).toBeCloseTo(1.2, 10);
    expect(c.ci![0]).toBeCloseTo(1.2 * Math.exp(-0.05), 10); // √(0.03² + 0.04²) = 0.05
    expect(c.ci![1]).toBeCloseTo(1.2 * Math.exp(0.05), 10);
  });

  it('has no CI when the run has none, and treats a baseline without CI as exact', () => {
    expect(changeWithCi({ value: 1, ci: [0.9, 1.1] }, { value: 1, ci: [null, null] }).ci).toBeNull();
    const c = changeWithCi({ value: 2, ci: [null, null] }, { value: 2, ci: [1.8, 2.2] });
    expect(c.ci![0]).toBeCloseTo(0.9, 10);
    expect(c.ci![1]).toBeCloseTo(1.1, 10);
  });

  it('classifies against the threshold on the whole CI', () => {
    expect(classify(1.2, [1.11, 1.3], 1.1)).toBe('regressed');
    expect(classify(1.15, [1.05, 1.3], 1.1)).toBe('unsure'); // estimate high, but not proven beyond 10%
    expect(classify(1.0, [0.95, 1.05], 1.1)).toBe('ok');
    expect(classify(1.0, [0.7, 1.4], 1.1)).toBe('ok'); // wide, but nothing points to a change
    expect(classify(0.85, [0.8, 0.9], 1.1)).toBe('improved');
    expect(classify(0.88, [0.85, 0.95], 1.1)).toBe('unsure'); // 0.95 > 1/1.1
  });

  it('says how large a regression the CIs could have caught', () => {
    expect(detectable({ change: 1, changeCi: [0.8, 1.25], threshold: 1.1 })).toBeCloseTo(1.375, 10);
    expect(detectable({ change: null, changeCi: null, threshold: 1.1 })).toBeNull();
  });
});

describe('the gate on synthetic paired results', () => {
  it('FAILS on a 20% regression of one SDK, naming the ratio metrics', () => {
    const g = compare(baseline, synthRun(slowJs(1.2), { seed: 7, rounds: 12, noise: 0.02 }));
    expect(g.passed).toBe(false);
    for (const id of [
      'publish-ack-latency [json] js/raw',
      'rest-publish-single-100 [json] js/raw',
      'subscribe-throughput [json] js/raw',
    ]) {
      const r = row(g.rows, id);
      expect(r.status, id).toBe('regressed');
      expect(r.change!).toBeGreaterThan(1.1);
      expect(r.changeCi![0]).toBeGreaterThan(1.1);
    }
    // The raw floor did not change: its absolute figures are not regressions.
    expect(row(g.rows, 'publish-ack-latency [json] raw').status).not.toBe('regressed');
    expect(g.failures.join('\n')).toMatch(/publish-ack-latency \[json\] js\/raw: \+\d+\.\d% worse than the baseline/);
    expect(textReport(g)).toMatch(/Gate FAILED because/);
    expect(textReport(g)).toMatch(/REGRESSED/);
    expect(markdownReport(g)).toMatch(/^## ❌ Benchmark regression gate: FAILED/);
  });

  it('catches the 20% regression in every one of 20 independent runs', () => {
    for (let seed = 100; seed < 120; seed++) {
      const g = compare(baseline, synthRun(slowJs(1.2), { seed, rounds: 12, noise: 0.02 }));
      expect(g.passed, `seed ${seed}`).toBe(false);
      expect(row(g.rows, 'publish-ack-latency [json] js/raw').status, `seed ${seed}`).toBe('regressed');
    }
  });

  it('passes on noise: another run of the same code on a machine 15% slower overall', () => {
    const g = compare(baseline, synthRun(BASE, { seed: 99, rounds: 12, machine: 1.15 }));
    expect(g.failures).toEqual([]);
    expect(g.passed).toBe(true);
    expect(g.counts.regressed).toBe(0);
    // Ratios self-normalise: their change stays near 1 although every absolute moved ~15%.
    for (const r of g.rows.filter((x) => x.kind === 'ratio')) expect(Math.abs(Math.log(r.change!))).toBeLessThan(0.08);
    expect(row(g.rows, 'publish-ack-latency [json] raw').change!).toBeGreaterThan(1.05);
    expect(textReport(g)).toMatch(/Gate passed\./);
    expect(markdownReport(g)).toMatch(/^## ✅ /);
  });

  it('a 15% machine slowdown WOULD fail a tight absolute gate: that is why absolutes get a wide limit', () => {
    const g = compare(baseline, synthRun(BASE, { seed: 99, rounds: 12, machine: 1.15, drift: 0.01 }), {
      absThreshold: 1.05,
    });
    expect(g.rows.filter((r) => r.kind === 'absolute' && r.status === 'regressed').length).toBeGreaterThan(0);
    expect(g.rows.filter((r) => r.kind === 'ratio' && r.status === 'regressed')).toEqual([]);
  });

  it('false-alarms in (almost) no unchanged run: 200 seeds of realistic noise, 4 rounds each', () => {
    const small = makeBaseline(synthRun(BASE, { seed: 1000, rounds: 4, noise: 0.1, drift: 0.2 }));
    let alarms = 0;
    let pointAlarms = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const g = compare(
        small,
        synthRun(BASE, { seed, rounds: 4, noise: 0.1, drift: 0.2, machine: 0.8 + (seed % 5) * 0.1 }),
      );
      if (!g.passed) alarms++;
      // What github-action-benchmark would do with the same ratios: point value vs 110%.
      if (g.rows.some((r) => r.kind === 'ratio' && r.change! > 1.1)) pointAlarms++;
    }
    expect(alarms).toBeLessThanOrEqual(4); // ≤ 2% (0 with these seeds)
    expect(pointAlarms).toBeGreaterThan(20); // > 10% (50 with these seeds)
  });

  it('passes on an improvement and says so', () => {
    const g = compare(baseline, synthRun(slowJs(0.7), { seed: 5, rounds: 12 }));
    expect(g.passed).toBe(true);
    expect(row(g.rows, 'publish-ack-latency [json] js/raw').status).toBe('improved');
    expect(g.counts.improved).toBeGreaterThanOrEqual(3);
    expect(textReport(g)).toMatch(/improved beyond the limit: refresh the baseline/);
    expect(markdownReport(g)).toMatch(/improved beyond the limit/);
  });

  it('reports a metric missing now (or new) without failing, unless asked to', () => {
    const run = synthRun([ACK, REST], { seed: 4, rounds: 12 }); // no subscribe-throughput
    const g = compare(baseline, run);
    expect(g.passed).toBe(true);
    expect(row(g.rows, 'subscribe-throughput [json] js/raw').status).toBe('missing');
    expect(compare(baseline, run, { failOnMissing: true }).passed).toBe(false);
    const withRust = synthRun([{ ...ACK, truth: { ...ACK.truth, rust: 0.6 } }, REST, SUB], { seed: 4, rounds: 12 });
    const g2 = compare(baseline, withRust);
    expect(row(g2.rows, 'publish-ack-latency [json] rust/js').status).toBe('new');
    expect(g2.passed).toBe(true);
  });

  it('FAILS when a scenario failed (integrity), even if every metric is fine', () => {
    const g = compare(
      baseline,
      synthRun([ACK, REST, { ...SUB, status: 'failed', reason: 'integrity: js lost 3 messages' }], {
        seed: 6,
        rounds: 12,
      }),
    );
    expect(g.passed).toBe(false);
    expect(g.failures).toEqual(['scenario subscribe-throughput [json] failed: integrity: js lost 3 messages']);
  });

  it('a regression hidden in noise too wide to prove is "unsure", not a failure', () => {
    const noisyBase = makeBaseline(synthRun(BASE, { seed: 1, rounds: 4, noise: 0.3 }));
    const g = compare(noisyBase, synthRun(slowJs(1.12), { seed: 8, rounds: 4, noise: 0.3 }));
    const r = row(g.rows, 'publish-ack-latency [json] js/raw');
    expect(r.status).not.toBe('regressed');
    expect(r.changeCi![1] - r.changeCi![0]).toBeGreaterThan(0.2);
  });
});

describe('slowArmInResults (a synthetic regression of real results)', () => {
  const run = synthRun(BASE, { seed: 5, rounds: 10 });
  const slowed = slowArmInResults(run, 'js', 1.3);
  const cmp = (r: typeof run, id: string) => r.scenarios.find((s) => s.id === id)!.comparisons[0]!;
  const samples = (r: typeof run, id: string, arm: string) =>
    r.scenarios.find((s) => s.id === id)!.arms.find((a) => a.arm === arm)!.samples;

  it('is what the lab would compute from the arm’s samples scaled (times ×f, rates ÷f)', () => {
    const v = validateResults(JSON.parse(JSON.stringify(slowed)));
    expect(v.ok ? [] : v.errors).toEqual([]);
    for (const id of [ACK.id, SUB.id]) {
      const js = samples(slowed, id, 'js');
      const k = id === SUB.id ? 1 / 1.3 : 1.3;
      samples(run, id, 'js').forEach((x, i) => expect(js[i]).toBeCloseTo(x * k, 9));
      const want = pairedRatio(samples(slowed, id, 'raw'), js);
      const got = cmp(slowed, id);
      expect(`${got.candidate}/${got.reference}`).toBe('js/raw');
      expect(got.ratio!).toBeCloseTo(want.ratio, 9);
      expect(got.ci[0]!).toBeCloseTo(want.ci.lo, 9);
      expect(got.ci[1]!).toBeCloseTo(want.ci.hi, 9);
    }
    expect(slowed.environment.notes.join()).toMatch(/SYNTHETIC: js made ×1.3 slower/);
    expect(run.environment.notes).toEqual([]); // the input is left alone
  });

  it('fails the gate against a baseline of the unchanged run, on the js ratios only', () => {
    const g = compare(makeBaseline(run), slowed);
    expect(g.passed).toBe(false);
    const regressed = g.rows.filter((r) => r.status === 'regressed' && r.kind === 'ratio').map((r) => r.id);
    expect(regressed.sort()).toEqual(BASE.map((s) => `${s.id} [json] js/raw`).sort());
  });
});

describe('ratios that do not self-normalise', () => {
  // ably-js reconnects after a fixed timer (≈ 700 ms in the lab), so its recovery figure does not
  // move with the machine while rust's and raw's do: any ratio against js tracks the machine's
  // speed, not the SDKs. Here the machine got 2× slower between baseline and run.
  const REC = (f: number): SynthScenario => ({ id: 'recovery', truth: { rust: 4.5 * f, js: 700, raw: 4.2 * f } });
  const recBase = makeBaseline(synthRun([REC(1), ACK], { seed: 11, rounds: 12, noise: 0.02 }));
  const slowMachine = synthRun([REC(2), ACK], { seed: 12, rounds: 12, noise: 0.02 });

  it('recovery ratios against ably-js are not gated (and an old baseline holding them does not report them missing)', () => {
    expect(recBase.metrics.some((m) => m.id === 'recovery [json] js/raw')).toBe(false);
    // Lines of the baseline committed before this change (bench/baseline.json, 2026-11-30).
    const oldLines = [
      { id: 'recovery [json] rust/js', value: 0.006658, ci: [0.005695, 0.007784] as [number, number] },
      { id: 'recovery [json] js/raw', value: 160.4, ci: [137.6, 186.9] as [number, number] },
    ].map((m) => ({
      ...m,
      kind: 'ratio' as const,
      scenario: 'recovery',
      protocol: 'json',
      unit: 'ratio',
      better: 'lower' as const,
      n: 12,
    }));
    const old = { ...recBase, metrics: [...recBase.metrics, ...oldLines] };
    for (const b of [recBase, old]) {
      const g = compare(b, slowMachine);
      expect(g.passed, g.failures.join('; ')).toBe(true);
      expect(g.rows.map((r) => r.id)).not.toContain('recovery [json] js/raw');
      expect(g.rows.map((r) => r.id)).not.toContain('recovery [json] rust/js');
      expect(g.notGated.map((n) => n.id)).toEqual(['recovery [json] rust/js', 'recovery [json] js/raw']);
      expect(textReport(g)).toMatch(/not gated: recovery \[json\] rust\/js, recovery \[json\] js\/raw — ably-js/);
      expect(markdownReport(g)).toMatch(/not gated: recovery \[json\] rust\/js/);
    }
  });

  it('recovery rust/raw stays gated: both arms scale with the machine', () => {
    const slowRust = synthRun([{ id: 'recovery', truth: { rust: 9, js: 700, raw: 4.2 } }, ACK], {
      seed: 13,
      rounds: 12,
      noise: 0.02,
    });
    const g = compare(recBase, slowRust);
    expect(row(g.rows, 'recovery [json] rust/raw').status).toBe('regressed');
    expect(g.passed).toBe(false);
  });
});

describe('subscribe ratios gated on worker CPU per message', () => {
  // Wall-time throughput noisier than CPU per message (what quick runs measure when the server blasts).
  const SUB_CPU = (jsCpu: number): SynthScenario => ({ ...SUB, cpuPerMsg: { js: jsCpu, raw: 5 } });
  const opts = { rounds: 12, noise: 0.02 };
  const cpuBase = makeBaseline(synthRun([SUB_CPU(10), ACK], { seed: 21, ...opts }));
  const wall = 'subscribe-throughput [json] js/raw';
  const cpu = 'subscribe-throughput [json] js/raw cpu/msg';

  it('the baseline keeps both figures, the CPU one time-like', () => {
    const m = cpuBase.metrics.find((x) => x.id === cpu)!;
    expect(m).toMatchObject({ kind: 'ratio', figure: 'cpu', better: 'lower' });
    expect(m.value).toBeCloseTo(2, 1);
    expect(cpuBase.metrics.some((x) => x.id === wall)).toBe(true);
  });

  it('FAILS on 20% more CPU per message, and reports the wall-time ratio as not gated', () => {
    const g = compare(cpuBase, synthRun([SUB_CPU(12), ACK], { seed: 22, ...opts }));
    expect(row(g.rows, cpu).status).toBe('regressed');
    expect(g.rows.map((r) => r.id)).not.toContain(wall);
    expect(g.notGated).toContainEqual({ id: wall, why: expect.stringMatching(/worker CPU per message is gated/) });
    expect(g.passed).toBe(false);
    expect(textReport(g)).toMatch(/not gated: subscribe-throughput \[json\] js\/raw — worker CPU/);
  });

  it('passes when only wall time moved and CPU per message did not', () => {
    const slowWall = synthRun([...slowJs(1.3, [SUB_CPU(10)]), ACK], { seed: 23, ...opts });
    const g = compare(cpuBase, slowWall);
    expect(row(g.rows, cpu).status).toBe('ok');
    expect(g.passed, g.failures.join('; ')).toBe(true);
  });

  it('gates wall time when the run has no CPU figures (the page, other engines)', () => {
    const noCpu = synthRun([...slowJs(1.3, [SUB]), ACK], { seed: 24, ...opts });
    const g = compare(cpuBase, noCpu);
    expect(row(g.rows, wall).status).toBe('regressed');
    expect(row(g.rows, cpu).status).toBe('missing');
    expect(g.passed).toBe(false);
  });

  it('a synthetic slowdown of real results raises the slowed arm’s CPU per message too', () => {
    const run = synthRun([SUB_CPU(10)], { seed: 25, ...opts });
    const slowed = slowArmInResults(run, 'js', 1.5);
    const c = (r: typeof run) => r.scenarios[0]!.comparisons.find((x) => x.candidate === 'js')!.cpu!.ratio!;
    expect(c(slowed) / c(run)).toBeCloseTo(1.5, 6);
    expect(validateResults(JSON.parse(JSON.stringify(slowed))).ok).toBe(true);
  });
});

describe('confirmation re-run', () => {
  const first = compare(
    baseline,
    synthRun(slowJs(1.2, [ACK]).concat([REST, SUB]), { seed: 7, rounds: 12, noise: 0.02 }),
  );

  it('names the scenarios to re-run', () => {
    expect(first.passed).toBe(false);
    expect(regressedScenarios(first)).toEqual([ACK.id]);
  });

  it('keeps a regression that reproduces, and says so', () => {
    const g = confirmWith(first, compare(baseline, synthRun(slowJs(1.2, [ACK]), { seed: 8, rounds: 12, noise: 0.02 })));
    expect(g.passed).toBe(false);
    const r = row(g.rows, 'publish-ack-latency [json] js/raw');
    expect(r.status).toBe('regressed');
    expect(r.confirmation?.reproduced).toBe(true);
    expect(g.failures.join('\n')).toMatch(/reproduced by a re-run/);
    expect(textReport(g)).toMatch(/REGRESSED \(reproduced\)/);
  });

  it('drops a regression that a re-run does not reproduce (a load spike), to unsure', () => {
    const g = confirmWith(first, compare(baseline, synthRun([ACK], { seed: 9, rounds: 12, noise: 0.02 })));
    expect(g.failures).toEqual([]);
    expect(g.passed).toBe(true);
    const r = row(g.rows, 'publish-ack-latency [json] js/raw');
    expect(r.status).toBe('unsure');
    expect(textReport(g)).toMatch(/unsure \(not reproduced: re-run /);
    // The action's series agrees with the gate: a regression the re-run did not see is not fed as one.
    const e = benchmarkFiles(g).smaller.find((x) => x.name === 'publish-ack-latency [json] js/raw vs baseline')!;
    expect(e.value).toBeLessThan(1.1);
    expect(benchmarkFiles(first).smaller.find((x) => x.name === e.name)!.value).toBeGreaterThan(1.1);
    expect(g.warnings.join('\n')).toMatch(/0 of \d+ regression\(s\) reproduced/);
  });

  it('a scenario failing in the re-run still fails the gate', () => {
    const g = confirmWith(
      first,
      compare(baseline, synthRun([{ ...ACK, status: 'failed', reason: 'timeout' }], { seed: 9 })),
    );
    expect(g.passed).toBe(false);
    expect(g.failures.join('\n')).toMatch(/publish-ack-latency \[json\] failed: timeout \(confirmation run\)/);
  });

  it('rewrites the lab arguments for the re-run', () => {
    expect(
      withoutScenarios(['--quick', '--scenarios', 'a,b', '--arms', 'js', '--out=x.json', '--scenarios=c']),
    ).toEqual(['--quick', '--arms', 'js']);
  });
});

describe('github-action-benchmark files', () => {
  it('stay at 1 on noise and carry the confirmed change on a regression', () => {
    const quiet = benchmarkFiles(compare(baseline, synthRun(BASE, { seed: 42, rounds: 12, machine: 1.1 })));
    const confirmed = [...quiet.smaller, ...quiet.bigger].filter((e) => e.value !== 1);
    // Noise leaves (almost) every series flat; nothing near the action's 110% alert.
    expect(confirmed.every((e) => e.value > 0.95 && e.value < 1.05)).toBe(true);
    const bad = benchmarkFiles(compare(baseline, synthRun(slowJs(1.2), { seed: 7, rounds: 12, noise: 0.02 })));
    const ack = bad.smaller.find((e) => e.name === 'publish-ack-latency [json] js/raw vs baseline')!;
    expect(ack.value).toBeGreaterThan(1.1); // the action alerts at 110% too
    const sub = bad.bigger.find((e) => e.name === 'subscribe-throughput [json] js/raw vs baseline')!;
    expect(sub.value).toBeLessThan(1 / 1.1); // a rate: bigger is better, fell below 1/1.1
    expect(ack.extra).toMatch(/gate: regressed/);
  });
});

describe('inputs', () => {
  it('rejects a results schema version mismatch with a clear message', () => {
    const text = JSON.stringify(synthRun(BASE, { seed: 1, schemaVersion: 2 }));
    expect(() => parseResults(text, 'r.json')).toThrow(GateInputError);
    expect(() => parseResults(text, 'r.json')).toThrow(/r\.json: results schema version 2 — this gate reads version 1/);
  });

  it('rejects invalid results with the validator’s paths', () => {
    const r = synthRun(BASE, { seed: 1 }) as unknown as { scenarios: { status: string }[] };
    r.scenarios[0]!.status = 'weird';
    expect(() => parseResults(JSON.stringify(r))).toThrow(/scenarios\[0\]\.status/);
  });

  it('round-trips a baseline and rejects a wrong format, version or results schema', () => {
    const b = parseBaseline(JSON.stringify(baseline));
    expect(b.metrics.length).toBe(baseline.metrics.length);
    const text = formatBaseline(baseline);
    expect(parseBaseline(text)).toEqual(baseline);
    expect(text.split('\n').filter((l) => l.startsWith('    {"id":')).length).toBe(baseline.metrics.length); // one metric per line
    expect(() => parseBaseline(JSON.stringify({ ...baseline, version: 9 }))).toThrow(/baseline format version 9/);
    expect(() => parseBaseline(JSON.stringify({ ...baseline, resultsSchemaVersion: 2 }))).toThrow(
      /results schema version 2/,
    );
    expect(() => parseBaseline(JSON.stringify({ hello: 1 }))).toThrow(/not a gate baseline/);
    const dup = { ...baseline, metrics: [baseline.metrics[0], baseline.metrics[0]] };
    expect(() => parseBaseline(JSON.stringify(dup))).toThrow(/duplicate metric/);
  });

  it('formats changes without a signed zero', () => {
    expect(pct(1.2)).toBe('+20.0%');
    expect(pct(0.9)).toBe('−10.0%');
    expect(pct(1 - 1e-12)).toBe('0.0%');
  });

  it('parses thresholds as percentages or factors', () => {
    expect(parseThreshold('110%', 't')).toBeCloseTo(1.1);
    expect(parseThreshold('1.25', 't')).toBeCloseTo(1.25);
    expect(parseThreshold('200', 't')).toBeCloseTo(2);
    expect(() => parseThreshold('90%', 't')).toThrow(/above 100%/);
    expect(() => parseThreshold('abc', 't')).toThrow(/percentage/);
  });
});

describe('CLI (files)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gate-'));
  const basePath = join(dir, 'baseline.json');
  const io = (env: Record<string, string | undefined> = {}) => {
    const log: string[] = [];
    const err: string[] = [];
    let labRuns = 0;
    return {
      log,
      err,
      labRuns: () => labRuns,
      io: {
        log: (s: string) => log.push(s),
        error: (s: string) => err.push(s),
        env,
        runLab: () => {
          labRuns++;
          return 1;
        },
      },
    };
  };
  const write = (name: string, v: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify(v));
    return p;
  };

  it('bench:baseline writes a baseline from a results file', () => {
    const t = io();
    expect(
      gateMain(
        [
          '--write-baseline',
          '--results',
          write('base-run.json', synthRun(BASE, { seed: 1, rounds: 12 })),
          '--baseline',
          basePath,
        ],
        t.io,
      ),
    ).toBe(0);
    expect(parseBaseline(readFileSync(basePath, 'utf8')).metrics.length).toBe(9); // 3 scenarios × (js/raw ratio + 2 arms)
  });

  it('exits 1 on a regression, writes every output and appends to $GITHUB_STEP_SUMMARY', () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const t = io({ GITHUB_STEP_SUMMARY: summary });
    const out = join(dir, 'out');
    const code = gateMain(
      [
        '--results',
        write('bad.json', synthRun(slowJs(1.2), { seed: 7, rounds: 12, noise: 0.02 })),
        '--baseline',
        basePath,
        '--out-dir',
        out,
      ],
      t.io,
    );
    expect(code).toBe(1);
    expect(t.labRuns()).toBe(0);
    expect(t.log.join('\n')).toMatch(/Regression gate FAILED/);
    expect(readFileSync(summary, 'utf8')).toMatch(/^# earlier step\n## ❌ Benchmark regression gate/);
    expect(readFileSync(join(out, 'gate.md'), 'utf8')).toMatch(/Same-run ratios \(gated\)/);
    expect(JSON.parse(readFileSync(join(out, 'gate.json'), 'utf8')).passed).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'gate.benchmark-smaller.json'), 'utf8')).length).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(out, 'gate.benchmark-bigger.json'), 'utf8')).length).toBeGreaterThan(0);
  });

  it('exits 0 on noise and on an improvement', () => {
    expect(
      gateMain(
        [
          '--results',
          write('noise.json', synthRun(BASE, { seed: 11, rounds: 12, machine: 0.9 })),
          '--baseline',
          basePath,
          '--out-dir',
          join(dir, 'o2'),
        ],
        io().io,
      ),
    ).toBe(0);
    expect(
      gateMain(
        [
          '--results',
          write('better.json', synthRun(slowJs(0.7), { seed: 12, rounds: 12 })),
          '--baseline',
          basePath,
          '--out-dir',
          join(dir, 'o3'),
        ],
        io().io,
      ),
    ).toBe(0);
  });

  it('--threshold tightens the gate', () => {
    const p = write('ten.json', synthRun(slowJs(1.1), { seed: 13, rounds: 12, noise: 0.01, drift: 0.01 }));
    const b2 = join(dir, 'b2.json');
    gateMain(
      [
        '--write-baseline',
        '--results',
        write('b2run.json', synthRun(BASE, { seed: 14, rounds: 12, noise: 0.01, drift: 0.01 })),
        '--baseline',
        b2,
      ],
      io().io,
    );
    expect(gateMain(['--results', p, '--baseline', b2, '--out-dir', join(dir, 'o4')], io().io)).toBe(0);
    expect(
      gateMain(['--results', p, '--baseline', b2, '--out-dir', join(dir, 'o5'), '--threshold', '105%'], io().io),
    ).toBe(1);
  });

  it('exits 2 with a clear message on a schema mismatch, a missing baseline or bad usage', () => {
    const t = io();
    expect(
      gateMain(
        [
          '--results',
          write('v2.json', synthRun(BASE, { seed: 1, schemaVersion: 2 })),
          '--baseline',
          basePath,
          '--out-dir',
          join(dir, 'o6'),
        ],
        t.io,
      ),
    ).toBe(2);
    expect(t.err.join('\n')).toMatch(/results schema version 2 — this gate reads version 1/);
    const t2 = io();
    expect(gateMain(['--results', 'x.json', '--baseline', join(dir, 'nope.json')], t2.io)).toBe(2);
    expect(t2.err.join('\n')).toMatch(/no baseline at .*nope\.json: create one with `npm run bench:baseline`/);
    const t3 = io();
    expect(gateMain(['--bogus'], t3.io)).toBe(2);
    expect(t3.err.join('\n')).toMatch(/Usage: npm run bench:check/);
  });

  it('refuses to write a baseline from a run with a failed scenario', () => {
    const t = io();
    const p = write('failedrun.json', synthRun([ACK, { ...REST, status: 'failed', reason: 'timeout' }], { seed: 1 }));
    expect(gateMain(['--write-baseline', '--results', p, '--baseline', join(dir, 'b3.json')], t.io)).toBe(2);
    expect(t.err.join('\n')).toMatch(/not writing a baseline .*rest-publish-single-100 \[json\] \(timeout\)/);
    const t2 = io();
    const b = join(dir, 'b4.json');
    expect(gateMain(['--write-baseline', '--allow-failed', '--results', p, '--baseline', b], t2.io)).toBe(0);
    expect(t2.err.join('\n')).toMatch(/1 failed scenario\(s\) left out/);
    expect(parseBaseline(readFileSync(b, 'utf8')).metrics.some((m) => m.scenario === 'rest-publish-single-100')).toBe(
      false,
    );
  });

  it('runs the lab itself, re-runs only the regressed scenarios, and passes when the re-run is clean', () => {
    const calls: string[][] = [];
    const out = join(dir, 'o8');
    const t = io();
    const runLab = (args: string[], file: string) => {
      calls.push(args);
      // First run: js 20% slower on publish-ack (a load spike, say); the re-run is clean.
      const run =
        calls.length === 1
          ? synthRun(slowJs(1.2, [ACK]).concat([REST, SUB]), { seed: 7, rounds: 12, noise: 0.02 })
          : synthRun([ACK], { seed: 9, rounds: 12, noise: 0.02 });
      writeFileSync(file, JSON.stringify(run));
      return 0;
    };
    const b = join(dir, 'b8.json');
    writeFileSync(b, JSON.stringify(baseline));
    expect(
      gateMain(['--baseline', b, '--out-dir', out, '--', '--quick', '--scenarios', 'x,y'], { ...t.io, runLab }),
    ).toBe(0);
    expect(calls).toEqual([
      ['--quick', '--scenarios', 'x,y'],
      ['--quick', '--scenarios', 'publish-ack-latency'],
    ]);
    expect(t.log.join('\n')).toMatch(/confirmation run 1\/1: publish-ack-latency/);
    expect(readFileSync(join(out, 'gate.txt'), 'utf8')).toMatch(/not reproduced/);
    // Without confirmation the same first run fails.
    calls.length = 0;
    expect(gateMain(['--baseline', b, '--out-dir', out, '--confirm-runs', '0'], { ...t.io, runLab })).toBe(1);
    expect(calls.length).toBe(1);
  });

  it('runs the lab when no --results is given, and fails clearly when it writes nothing', () => {
    const t = io();
    expect(
      gateMain(['--baseline', basePath, '--out-dir', join(dir, 'o7'), '--', '--quick', '--scenarios', 'connect'], t.io),
    ).toBe(2);
    expect(t.labRuns()).toBe(1);
    expect(t.err.join('\n')).toMatch(/the lab exited with code 1 without writing/);
  });
});
