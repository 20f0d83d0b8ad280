/**
 * Repeated confidence intervals for auto-sampling (Jennison & Turnbull, "Group Sequential Methods",
 * ch. 9). Auto-sampling looks at the paired-ratio CI after every round from `minRounds` on and
 * stops as soon as every verdict resolves. Looking at a 95% CI up to 50 times and stopping at the
 * first excursion declares a false difference far more often than 5% of the time (measured here:
 * 3 of 18 A/A comparisons said `slower` at n = 4–6). So each look uses a wider interval, at a
 * Pocock-style constant nominal level chosen so that the intervals of ALL looks cover the true
 * ratio together with the overall confidence (95%): then any stopping rule, including ours, keeps
 * the overall error rate.
 *
 * The constant is found by simulating the looks (seeded, so deterministic): standardised partial
 * sums of N(0,1) at n = minRounds … maxRounds, and the (confidence)-quantile of their largest |z|.
 */
import { CONFIDENCE } from './defaults';
import { mulberry32 } from './stats';

const PATHS = 20_000;
const SEED = 0x9e3779b9;
const cache = new Map<string, number>();

/** Standard normal draw from a uniform source (Box–Muller). */
function normal(rand: () => number): number {
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 via erf; |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * The two-sided boundary c such that P(max over looks |S_n/√n| > c) = 1 − confidence under the
 * null, for looks after every round n = minRounds … maxRounds.
 */
export function pocockBoundary(minRounds: number, maxRounds: number, confidence = CONFIDENCE): number {
  const lo = Math.max(2, Math.floor(minRounds));
  const hi = Math.max(lo, Math.floor(maxRounds));
  const key = `${lo}:${hi}:${confidence}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const rand = mulberry32(SEED);
  const maxima = new Float64Array(PATHS);
  for (let p = 0; p < PATHS; p++) {
    let sum = 0;
    let m = 0;
    for (let n = 1; n <= hi; n++) {
      sum += normal(rand);
      if (n >= lo) m = Math.max(m, Math.abs(sum) / Math.sqrt(n));
    }
    maxima[p] = m;
  }
  maxima.sort();
  const c = maxima[Math.min(PATHS - 1, Math.ceil(confidence * PATHS) - 1)]!;
  cache.set(key, c);
  return c;
}

/**
 * The nominal confidence level of each look's interval: 95% when there is one look (min = max),
 * wider when auto-sampling may look many times (about 98.6% for 4…12 rounds, 99.3% for 6…60).
 */
export function perLookConfidence(minRounds: number, maxRounds: number, confidence = CONFIDENCE): number {
  if (Math.max(2, minRounds) >= maxRounds) return confidence;
  const c = pocockBoundary(minRounds, maxRounds, confidence);
  return 2 * normalCdf(c) - 1;
}
