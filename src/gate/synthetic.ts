/**
 * Synthetic lab results for the gate's tests: paired per-round samples with a shared per-round
 * "machine load" factor (what pairing cancels) and independent per-arm noise, summarised with
 * the lab's own statistics (pairedRatio, summarize, verdict), so the CIs are the real ones.
 */
import { comparisonPairs } from '../lab/report';
import type { ComparisonV1, LabResultsV1, ScenarioV1 } from '../lab/results';
import { mulberry32, pairedRatio, summarize } from '../lab/stats';
import type { Direction } from '../lab/types';
import { verdict } from '../lab/verdict';

export interface SynthScenario {
  id: string;
  unit?: string;
  better?: Direction;
  /** The true primary value per arm (ms for latency, per second for rates). */
  truth: Record<string, number>;
  /** Stream scenarios: the true worker CPU µs per message per arm (then each round has one, noisy like the samples, load-free). */
  cpuPerMsg?: Record<string, number>;
  status?: 'ok' | 'failed' | 'skipped';
  reason?: string;
}

export interface SynthOptions {
  seed: number;
  rounds?: number;
  /** Per-arm per-round independent noise (coefficient of variation). */
  noise?: number;
  /** Whole-machine speed of this run (1.2 = everything 20% slower), drifting ±drift per round. */
  machine?: number;
  drift?: number;
  schemaVersion?: number;
  /** An A/A run: the two arms are copies of one SDK (js and js'), compared copy/original. */
  aa?: boolean;
}

function gauss(rnd: () => number): number {
  // Box–Muller.
  const u = Math.max(rnd(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

export function synthRun(scenarios: SynthScenario[], o: SynthOptions): LabResultsV1 {
  const rnd = mulberry32(o.seed);
  const rounds = o.rounds ?? 8;
  const noise = o.noise ?? 0.05;
  const machine = o.machine ?? 1;
  const drift = o.drift ?? 0.1;
  const armIds = [...new Set(scenarios.flatMap((s) => Object.keys(s.truth)))];
  const arms = armIds.map((id) => ({ id, sdk: id.replace("'", '') as 'js' | 'raw' | 'rust' }));
  const out: ScenarioV1[] = scenarios.map((s) => {
    const better = s.better ?? 'lower';
    const status = s.status ?? 'ok';
    const samples: Record<string, number[]> = {};
    const cpu: Record<string, number[]> = {};
    const ids = Object.keys(s.truth);
    for (const id of ids) {
      samples[id] = [];
      cpu[id] = [];
    }
    for (let i = 0; i < (status === 'ok' ? rounds : 0); i++) {
      const load = machine * Math.exp(drift * gauss(rnd)); // shared by both arms of the round
      for (const id of ids) {
        const t = s.truth[id]! * Math.exp(noise * gauss(rnd));
        // Load makes times longer and rates lower.
        samples[id]!.push(better === 'lower' ? t * load : t / load);
        if (s.cpuPerMsg) cpu[id]!.push(s.cpuPerMsg[id]! * Math.exp(noise * gauss(rnd)));
      }
    }
    const present = arms.filter((a) => ids.includes(a.id));
    const comparisons = comparisonPairs(present, o.aa ?? false).map(([ref, cand]) => {
      const r = pairedRatio(samples[ref]!, samples[cand]!);
      const ok = r.n >= 2;
      const c = pairedRatio(cpu[ref]!, cpu[cand]!);
      return {
        candidate: cand,
        reference: ref,
        ratio: ok ? r.ratio : null,
        ci: [ok ? r.ci.lo : null, ok ? r.ci.hi : null] as [number | null, number | null],
        n: r.n,
        method: 't-log-ratio' as const,
        verdict: ok ? verdict(r.ratio, r.ci, better) : ('unsure' as const),
        ...(c.n >= 2 && {
          cpu: {
            ratio: c.ratio,
            ci: [c.ci.lo, c.ci.hi] as [number, number],
            n: c.n,
            verdict: verdict(c.ratio, c.ci, 'lower'),
          },
        }),
      };
    });
    return {
      id: s.id,
      protocol: 'json',
      title: s.id,
      group: better === 'lower' ? 'latency' : 'throughput',
      unit: s.unit ?? (better === 'lower' ? 'ms' : 'ops/s'),
      better,
      status,
      reason: s.reason ?? (status === 'ok' ? null : status),
      rounds: status === 'ok' ? rounds : 0,
      warmupRounds: 1,
      stoppedBy: status === 'ok' ? 'max-rounds' : status === 'failed' ? 'failed' : 'skipped',
      elapsedS: 1,
      arms: ids.map((id) => {
        const x = samples[id]!;
        const m = summarize(x);
        const f = (v: number) => (x.length && Number.isFinite(v) ? v : null);
        return {
          arm: id,
          n: m.n,
          median: f(m.median),
          medianCi: [f(m.medianCi.lo), f(m.medianCi.hi)],
          mean: f(m.mean),
          meanCi: [f(m.meanCi.lo), f(m.meanCi.hi)],
          min: f(m.min),
          max: f(m.max),
          cv: f(m.cv),
          samples: x,
          latency: null,
          rate: null,
          integrity: null,
          cpu: s.cpuPerMsg
            ? { workerUsPerMsg: s.cpuPerMsg[id]!, serverUsPerMsg: null, workerUsPerMsgSamples: cpu[id]! }
            : null,
          memory: null,
          coldStart: null,
        };
      }),
      comparisons: status === 'ok' ? comparisons : [],
      claims: [],
      server: { cpuFraction: null, bound: false },
    } as ScenarioV1;
  });
  return {
    schemaVersion: (o.schemaVersion ?? 1) as 1,
    tool: 'ably-sdk-lab',
    createdAt: '2026-11-27T00:00:00.000Z',
    durationS: 60,
    config: {
      quick: true,
      aa: o.aa ?? false,
      budgetS: 110,
      scenarios: scenarios.map((s) => s.id),
      protocols: ['json'],
      endpoint: { kind: 'local', host: '127.0.0.1', port: 1, tls: false },
      equivalenceMargin: 0.02,
      confidence: 0.95,
    },
    environment: {
      userAgent: 'synthetic',
      browser: 'Chromium 0',
      cores: 2,
      crossOriginIsolated: true,
      timerGranularityUs: 5,
      gitCommit: 'synthetic',
      gitDirty: false,
      memoryMethod: 'none',
      cpuMethod: 'none',
      notes: [],
    },
    arms: arms.map((a) => ({ id: a.id, sdk: a.sdk, workers: [] })),
    scenarios: out,
  };
}

/**
 * A synthetic regression of real results: `arm` made `factor` × slower in the data (times ×
 * factor, rates ÷ factor), exactly as if every one of its samples had been. Scaling one arm's
 * samples by k shifts every paired log-ratio by ln k, so a comparison's ratio and both CI bounds
 * scale by k (÷ k when the arm is the reference) and only verdicts need recomputing. Lets the
 * gate's end-to-end test check that a regression fails the gate without timing anything.
 */
export function slowArmInResults(r: LabResultsV1, arm: string, factor: number): LabResultsV1 {
  if (!(factor > 0)) throw new Error(`factor must be positive, got ${factor}`);
  const scaled = (x: number | null, k: number) => (x === null ? null : x * k);
  // k > 0 keeps lo ≤ hi.
  const scaledCi = (c: [number | null, number | null], k: number): [number | null, number | null] => [
    scaled(c[0], k),
    scaled(c[1], k),
  ];
  return {
    ...r,
    environment: {
      ...r.environment,
      notes: [...r.environment.notes, `SYNTHETIC: ${arm} made ×${factor} slower in the data (not measured)`],
    },
    scenarios: r.scenarios.map((s) => {
      if (s.status !== 'ok') return s;
      const k = s.better === 'lower' ? factor : 1 / factor;
      return {
        ...s,
        arms: s.arms.map((a) =>
          a.arm !== arm
            ? a
            : {
                ...a,
                samples: a.samples.map((x) => x * k),
                median: scaled(a.median, k),
                medianCi: scaledCi(a.medianCi, k),
                mean: scaled(a.mean, k),
                meanCi: scaledCi(a.meanCi, k),
                min: scaled(a.min, k),
                max: scaled(a.max, k),
                cpu: a.cpu && {
                  ...a.cpu,
                  workerUsPerMsg: scaled(a.cpu.workerUsPerMsg, factor),
                  workerUsPerMsgSamples: a.cpu.workerUsPerMsgSamples?.map((x) => scaled(x, factor)),
                },
              },
        ),
        comparisons: s.comparisons.map((c) => {
          const m = c.candidate === arm ? k : c.reference === arm ? 1 / k : 1;
          if (m === 1 || c.ratio === null) return c;
          const wall = scaledRatio(c, m, s.better);
          // CPU per message is time-like whatever the scenario's direction.
          return c.cpu
            ? { ...wall, cpu: scaledRatio(c.cpu, c.candidate === arm ? factor : 1 / factor, 'lower') }
            : wall;
        }),
      };
    }),
  };
}

/** A paired ratio with its estimate and CI scaled by m (> 0 keeps lo ≤ hi), and its verdict recomputed. */
function scaledRatio<T extends Pick<ComparisonV1, 'ratio' | 'ci' | 'verdict'>>(c: T, m: number, better: Direction): T {
  if (c.ratio === null) return c;
  const ratio = c.ratio * m;
  const ci: [number | null, number | null] = [
    c.ci[0] === null ? null : c.ci[0] * m,
    c.ci[1] === null ? null : c.ci[1] * m,
  ];
  const v = ci[0] !== null && ci[1] !== null ? verdict(ratio, { lo: ci[0], hi: ci[1] }, better) : 'unsure';
  return { ...c, ratio, ci, verdict: v };
}
