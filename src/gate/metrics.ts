/**
 * The gate's metrics, extracted from one lab run (results schema v1). Pure.
 *
 * Two kinds:
 * - `ratio`: a paired candidate/reference ratio measured in ONE run (rust/js, rust/raw, js/raw),
 *   with its 95% CI. Machine speed cancels out of it (both arms ran interleaved on the same
 *   machine at the same time), so it is comparable across runs and machines: the gated kind.
 * - `absolute`: an arm's median (ms, ops/s, msg/s, bytes) with its 95% CI. It moves with the
 *   machine's load (±10–20% between runs on a shared 2-core box), so it is reported and gated
 *   only with a wide threshold.
 *
 * Every value is stored "time-like": lower is better. Rates (better = higher) are inverted, so a
 * change above 1 is always worse. `better` keeps the scenario's natural direction for display.
 */
import { CONFIDENCE } from '../lab/defaults';
import type { CiV1, ComparisonV1, LabResultsV1 } from '../lab/results';
import { tQuantile } from '../lab/stats';
import type { Direction } from '../lab/types';
import { timeLike } from '../lab/verdict';

export type MetricKind = 'ratio' | 'absolute';

export interface Metric {
  /** Stable key, e.g. `publish-ack-latency [json] js/raw` or `connect [json] js`. */
  id: string;
  kind: MetricKind;
  scenario: string;
  protocol: string;
  /** `ratio` for ratios, the scenario's unit for absolutes. */
  unit: string;
  /** The scenario's natural direction. */
  better: Direction;
  /** Time-like value (lower is better; rates inverted). */
  value: number;
  /** Time-like 95% CI; a missing bound is null (fewer than two rounds). */
  ci: CiV1;
  n: number;
  /** `cpu`: a same-run ratio of worker CPU per message (CPU_GATED); absent: the scenario's own figure. */
  figure?: 'cpu';
}

export function metricKey(scenario: string, protocol: string, what: string): string {
  return `${scenario} [${protocol}] ${what}`;
}

/** Inverts a value and its CI for higher-is-better scenarios (lower bound ↔ upper bound). */
function timeLikeAbsolute(value: number, ci: CiV1, better: Direction): { value: number; ci: CiV1 } {
  if (better === 'lower') return { value, ci };
  const inv = (x: number | null) => (x !== null && x > 0 ? 1 / x : null);
  return { value: 1 / value, ci: [inv(ci[1]), inv(ci[0])] };
}

/**
 * A comparison's CI at 95%. The lab widens each look's interval (repeated CIs, `level` > 0.95) so
 * that its own stop-at-first-resolved-look rule keeps 95% overall; the gate makes one comparison
 * of the final estimate with the baseline, so it rescales the t-interval on log-ratios back to
 * 95% (older files without `level` are 95% already).
 */
export function at95(c: Pick<ComparisonV1, 'ratio' | 'ci' | 'n' | 'level'>): CiV1 {
  const [lo, hi] = c.ci;
  if (
    c.level === undefined ||
    c.level === CONFIDENCE ||
    c.ratio === null ||
    !(c.ratio > 0) ||
    lo === null ||
    hi === null ||
    !(lo > 0) ||
    c.n < 2
  )
    return c.ci;
  const df = c.n - 1;
  const k = tQuantile(1 - (1 - CONFIDENCE) / 2, df) / tQuantile(1 - (1 - c.level) / 2, df);
  return [c.ratio * (lo / c.ratio) ** k, c.ratio * (hi / c.ratio) ** k];
}

/**
 * Same-run ratios the gate does not gate, with why. Pairing cancels the machine's speed only when
 * both arms' figures scale with it. In `recovery` ably-js reconnects after a fixed timer
 * (≈ 700 ms in the lab, against ≈ 4 ms for rust and raw), so its figure is the timer, not CPU
 * work: any ratio against js moves with the machine's speed (a 2× slower machine halves js/raw)
 * and would false-alarm or hide a regression. js's absolute recovery time stays gated (wide
 * limit), and rust's recovery stays gated through rust/raw. Keyed by scenario, then by arm.
 */
export const NOT_GATED_AS_RATIO: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  recovery: {
    js: 'ably-js reconnects after a fixed timer, so a ratio against it tracks the machine, not the SDK (docs/method.md#what-the-gate-gates)',
  },
};

/** Why a same-run ratio is not gated, or undefined when it is. */
export function notGatedReason(scenario: string, candidate: string, reference: string): string | undefined {
  const s = NOT_GATED_AS_RATIO[scenario];
  return s?.[candidate] ?? s?.[reference];
}

const CPU_STEADIER =
  'worker CPU per message is gated instead: steadier per round than wall time when the server blasts';

/**
 * Stream scenarios whose same-run ratios are gated on worker CPU per message instead of wall-time
 * throughput, with why. Measured in A/A and quick runs (docs/method.md#what-the-gate-gates):
 * when the local server blasts, a round's wall time carries the server's sending and scheduling,
 * and the paired per-round spread of CPU per message is 2–3× smaller; it still means what a user
 * pays (the SDK's cost per message). Publishing is gated on wall time: there the two are alike.
 * A run without CPU figures (no readable thread CPU: the page, other engines) falls back to wall.
 */
export const CPU_GATED: Readonly<Record<string, string>> = {
  'subscribe-throughput': CPU_STEADIER,
  'subscribe-throughput-batch10': CPU_STEADIER,
};

const CPU_SUFFIX = ' cpu/msg';

/** The id of a same-run ratio's CPU-per-message metric, from the id of its wall-time metric. */
export function cpuMetricId(wallId: string): string {
  return wallId + CPU_SUFFIX;
}

/** The `candidate/reference` pair of a ratio metric. */
export function ratioPair(m: Pick<Metric, 'id' | 'scenario' | 'protocol' | 'figure'>): [string, string] {
  const what = m.id.slice(metricKey(m.scenario, m.protocol, '').length);
  const [candidate = '', reference = ''] = (m.figure === 'cpu' ? what.slice(0, -CPU_SUFFIX.length) : what).split('/');
  return [candidate, reference];
}

/**
 * Every gateable metric of the run's scenarios that completed (`status: ok`). For CPU_GATED
 * scenarios both figures of a ratio are extracted; the comparison (compare.ts) gates one.
 */
export function extractMetrics(r: LabResultsV1): Metric[] {
  const out: Metric[] = [];
  for (const s of r.scenarios) {
    if (s.status !== 'ok') continue;
    for (const c of s.comparisons) {
      if (c.ratio === null || !(c.ratio > 0) || notGatedReason(s.id, c.candidate, c.reference)) continue;
      const [lo, hi] = at95(c);
      const haveCi = lo !== null && hi !== null && lo > 0;
      const t = timeLike(c.ratio, haveCi ? { lo, hi } : { lo: c.ratio, hi: c.ratio }, s.better);
      out.push({
        id: metricKey(s.id, s.protocol, `${c.candidate}/${c.reference}`),
        kind: 'ratio',
        scenario: s.id,
        protocol: s.protocol,
        unit: 'ratio',
        better: s.better,
        value: t.ratio,
        ci: haveCi ? [t.ci.lo, t.ci.hi] : [null, null],
        n: c.n,
      });
      const cpu = c.cpu;
      if (CPU_GATED[s.id] && cpu && cpu.ratio !== null && cpu.ratio > 0) {
        const ci = at95({ ratio: cpu.ratio, ci: cpu.ci, n: cpu.n, level: c.level });
        out.push({
          id: cpuMetricId(metricKey(s.id, s.protocol, `${c.candidate}/${c.reference}`)),
          kind: 'ratio',
          scenario: s.id,
          protocol: s.protocol,
          unit: 'ratio',
          better: 'lower',
          value: cpu.ratio,
          ci: ci[0] !== null && ci[1] !== null && ci[0] > 0 ? ci : [null, null],
          n: cpu.n,
          figure: 'cpu',
        });
      }
    }
    for (const a of s.arms) {
      if (a.median === null || !(a.median > 0)) continue;
      const t = timeLikeAbsolute(a.median, a.medianCi, s.better);
      out.push({
        id: metricKey(s.id, s.protocol, a.arm),
        kind: 'absolute',
        scenario: s.id,
        protocol: s.protocol,
        unit: s.unit,
        better: s.better,
        value: t.value,
        ci: t.ci,
        n: a.n,
      });
    }
  }
  return out;
}

/** A time-like value back in the scenario's natural direction (for display). */
export function natural(m: Pick<Metric, 'better'>, timeLikeValue: number): number {
  return m.better === 'lower' ? timeLikeValue : 1 / timeLikeValue;
}
