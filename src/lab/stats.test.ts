import { describe, expect, it } from 'vitest';
import { mean, meanCI, median, mulberry32, pairedRatio, quantile, studentTCdf, summarize, tQuantile } from './stats';

/** Box–Muller normal from a seeded uniform source. */
function normal(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

describe('stats', () => {
  it('quantiles follow Hyndman & Fan type 7 (R default)', () => {
    const xs = [1, 2, 3, 4, 10];
    expect(median(xs)).toBe(3);
    expect(quantile(xs, 0.25)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
    expect(mean([1, 2, 3, 4])).toBe(2.5);
  });

  it('Student t quantiles match published tables', () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.706, 2);
    expect(tQuantile(0.975, 5)).toBeCloseTo(2.571, 3);
    expect(tQuantile(0.975, 9)).toBeCloseTo(2.262, 3);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.042, 3);
    expect(tQuantile(0.975, 1000)).toBeCloseTo(1.962, 3);
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 12);
  });

  it('the t CI of the mean covers the true mean ~95% of the time (normal data, n=8)', () => {
    const rand = mulberry32(42);
    const z = normal(rand);
    let covered = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const xs = Array.from({ length: 8 }, () => 10 + 2 * z());
      const ci = meanCI(xs);
      if (ci.lo <= 10 && 10 <= ci.hi) covered++;
    }
    // Binomial(2000, 0.95): sd ≈ 0.49 %; 3 sd either side.
    expect(covered / trials).toBeGreaterThan(0.935);
    expect(covered / trials).toBeLessThan(0.965);
  });

  it('the paired log-ratio CI covers a known ratio ~95% of the time (lognormal pairs with shared drift)', () => {
    const rand = mulberry32(7);
    const z = normal(rand);
    const trueRatio = 0.7;
    let covered = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < 10; i++) {
        const drift = Math.exp(0.3 * z()); // machine noise shared by both members of a pair
        a.push(5 * drift * Math.exp(0.05 * z()));
        b.push(5 * trueRatio * drift * Math.exp(0.05 * z()));
      }
      const r = pairedRatio(a, b);
      if (r.ci.lo <= trueRatio && trueRatio <= r.ci.hi) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.935);
    expect(covered / trials).toBeLessThan(0.965);
  });

  it('pairing removes shared drift: the paired CI is far narrower than the spread of either arm', () => {
    const rand = mulberry32(3);
    const z = normal(rand);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 12; i++) {
      const drift = Math.exp(0.4 * z());
      a.push(drift * Math.exp(0.02 * z()));
      b.push(1.1 * drift * Math.exp(0.02 * z()));
    }
    const r = pairedRatio(a, b);
    expect(r.ratio).toBeGreaterThan(1.07);
    expect(r.ratio).toBeLessThan(1.13);
    expect(r.ci.hi / r.ci.lo).toBeLessThan(1.06);
    expect(summarize(a).cv).toBeGreaterThan(0.2);
  });

  it('pairedRatio ignores non-positive values and needs two pairs for a finite CI', () => {
    expect(pairedRatio([1, 0, 2], [2, 5, 4]).n).toBe(2);
    const one = pairedRatio([1], [2]);
    expect(one.ratio).toBeCloseTo(2, 12);
    expect(one.ci.hi).toBe(Infinity);
  });

  it('summarize gives a bootstrap median CI that contains the median and is deterministic', () => {
    const xs = [5, 7, 6, 9, 5.5, 6.5, 8, 7.2];
    const s1 = summarize(xs);
    const s2 = summarize(xs);
    expect(s1.medianCi).toEqual(s2.medianCi);
    expect(s1.medianCi.lo).toBeLessThanOrEqual(s1.median);
    expect(s1.medianCi.hi).toBeGreaterThanOrEqual(s1.median);
    expect(s1.min).toBe(5);
    expect(s1.max).toBe(9);
  });
});
