/**
 * Pure statistics for the lab. Every formula names its source. No DOM, no I/O, deterministic
 * (the bootstrap takes a seed).
 */
import { BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, CONFIDENCE } from './defaults';
import type { Interval } from './types';

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return xs.length ? s / xs.length : NaN;
}

/** Unbiased sample variance (Bessel's correction, n − 1). */
export function variance(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i]! - m) ** 2;
  return s / (n - 1);
}

export function sortedCopy(xs: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs as ArrayLike<number>).sort();
}

/**
 * Quantile of SORTED data, linear interpolation between order statistics: Hyndman & Fan (1996)
 * "Sample quantiles in statistical packages", definition 7 (R's and NumPy's default).
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (!n) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function quantile(xs: ArrayLike<number>, p: number): number {
  return quantileSorted(sortedCopy(xs), p);
}

export function median(xs: ArrayLike<number>): number {
  return quantile(xs, 0.5);
}

/** Percentiles p50/p95/p99 of per-operation latencies (Hyndman & Fan type 7). */
export function latencyPercentiles(xs: ArrayLike<number>): { p50: number; p95: number; p99: number; mean: number } {
  const s = sortedCopy(xs);
  return { p50: quantileSorted(s, 0.5), p95: quantileSorted(s, 0.95), p99: quantileSorted(s, 0.99), mean: mean(s) };
}

/**
 * ln Γ(x), Lanczos approximation (g = 7, n = 9 coefficients), as in Numerical Recipes 3rd ed. §6.1
 * and Godfrey's coefficients; |error| < 1e-13 for x > 0.
 */
function lnGamma(x: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction for the incomplete beta function (Numerical Recipes 3rd ed. §6.4, `betacf`, modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const FPMIN = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b) (Numerical Recipes 3rd ed. §6.4, `betai`). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const bt = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2)
    ? (bt * betaContinuedFraction(a, b, x)) / a
    : 1 - (bt * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** CDF of Student's t with `df` degrees of freedom: P(T ≤ t) = 1 − ½ I_{df/(df+t²)}(df/2, ½) for t ≥ 0 (Abramowitz & Stegun 26.7.1 / 26.5.27). */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Quantile of Student's t (inverse CDF) by bisection on `studentTCdf`; e.g. tQuantile(0.975, 9) = 2.262. */
export function tQuantile(p: number, df: number): number {
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** t confidence interval of the mean: x̄ ± t_{1−α/2, n−1} · s/√n (Student 1908; tachometer src/stats.ts uses the same). */
export function meanCI(xs: ArrayLike<number>, confidence = CONFIDENCE): Interval {
  const n = xs.length;
  const m = mean(xs);
  if (n < 2) return { lo: -Infinity, hi: Infinity };
  const half = tQuantile(1 - (1 - confidence) / 2, n - 1) * Math.sqrt(variance(xs) / n);
  return { lo: m - half, hi: m + half };
}

export interface RatioEstimate {
  /** Geometric-mean ratio candidate/reference: exp(mean of ln(b_i/a_i)). */
  readonly ratio: number;
  readonly ci: Interval;
  readonly n: number;
}

/**
 * Paired ratio with a CI: per pair r_i = ln(candidate_i / reference_i); the effect is exp(mean r)
 * and its CI is exp(t-interval of the mean of r) — a t-interval on log-ratios
 * (docs/method.md#paired-ratios; pairing per round cancels drift). Pairs with a non-positive value
 * are ignored (a log-ratio does not exist).
 */
export function pairedRatio(
  reference: ArrayLike<number>,
  candidate: ArrayLike<number>,
  confidence = CONFIDENCE,
): RatioEstimate {
  const logs: number[] = [];
  const n = Math.min(reference.length, candidate.length);
  for (let i = 0; i < n; i++) {
    const a = reference[i]!;
    const b = candidate[i]!;
    if (a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b)) logs.push(Math.log(b / a));
  }
  if (!logs.length) return { ratio: NaN, ci: { lo: 0, hi: Infinity }, n: 0 };
  const ci = meanCI(logs, confidence);
  return { ratio: Math.exp(mean(logs)), ci: { lo: Math.exp(ci.lo), hi: Math.exp(ci.hi) }, n: logs.length };
}

/** mulberry32: a small seeded 32-bit PRNG (Tommy Ettinger, public domain), uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Percentile-bootstrap CI of a statistic (Efron & Tibshirani 1993, "An Introduction to the
 * Bootstrap", ch. 13): resample with replacement, take the α/2 and 1−α/2 quantiles of the
 * statistic. Deterministic for a given seed.
 */
export function bootstrapCI(
  xs: ArrayLike<number>,
  stat: (sample: Float64Array) => number,
  confidence = CONFIDENCE,
  resamples = BOOTSTRAP_RESAMPLES,
  seed = BOOTSTRAP_SEED,
): Interval {
  const n = xs.length;
  if (n < 2) return { lo: -Infinity, hi: Infinity };
  const rand = mulberry32(seed);
  const stats = new Float64Array(resamples);
  const buf = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) buf[i] = xs[Math.floor(rand() * n)]!;
    stats[r] = stat(buf);
  }
  stats.sort();
  const alpha = 1 - confidence;
  return { lo: quantileSorted(stats, alpha / 2), hi: quantileSorted(stats, 1 - alpha / 2) };
}

/** Median with a percentile-bootstrap CI (robust per-arm summary). */
export function medianCI(xs: ArrayLike<number>, confidence = CONFIDENCE): Interval {
  return bootstrapCI(xs, (s) => quantileSorted(s.sort(), 0.5), confidence);
}

/** Summary of one arm's per-sample values. */
export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly medianCi: Interval;
  readonly mean: number;
  readonly meanCi: Interval;
  readonly min: number;
  readonly max: number;
  /** Coefficient of variation (s / x̄). */
  readonly cv: number;
}

export function summarize(xs: ArrayLike<number>): Summary {
  const s = sortedCopy(xs);
  const m = mean(s);
  return {
    n: s.length,
    median: quantileSorted(s, 0.5),
    medianCi: medianCI(s),
    mean: m,
    meanCi: meanCI(s),
    min: s.length ? s[0]! : NaN,
    max: s.length ? s[s.length - 1]! : NaN,
    cv: Math.sqrt(variance(s)) / m,
  };
}
