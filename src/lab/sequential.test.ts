import { describe, expect, it } from 'vitest';
import { runSchedule } from './schedule';
import { normalCdf, perLookConfidence, pocockBoundary } from './sequential';
import { mulberry32 } from './stats';

/** Fraction of A/A schedules (no true difference) that end in a false `faster`/`slower`. */
async function falseDifferenceRate(
  runs: number,
  minRounds: number,
  maxRounds: number,
  confidence?: number,
): Promise<number> {
  let wrong = 0;
  for (let i = 0; i < runs; i++) {
    const rand = mulberry32(1000 + i);
    // Log-normal noise, σ = 10% per sample: a noisy latency scenario on a shared machine.
    const noise = () => Math.exp(0.1 * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
    const out = await runSchedule(
      2,
      {
        warmupRounds: 0,
        minRounds,
        maxRounds,
        deadline: Infinity,
        comparisons: [[0, 1]],
        better: 'lower',
        ...(confidence ? { confidence } : {}),
      },
      { now: () => 0, sample: async () => 10 * noise() },
    );
    if (out.verdicts[0] === 'faster' || out.verdicts[0] === 'slower') wrong++;
  }
  return wrong / runs;
}

describe('repeated confidence intervals', () => {
  it('one look is the plain level; more looks need a wider interval, growing slowly', () => {
    expect(perLookConfidence(10, 10)).toBe(0.95);
    const c = [pocockBoundary(4, 5), pocockBoundary(4, 12), pocockBoundary(6, 60), pocockBoundary(2, 200)];
    for (let i = 1; i < c.length; i++) expect(c[i]!).toBeGreaterThan(c[i - 1]!);
    expect(c[0]!).toBeGreaterThan(1.96);
    // Pocock's constant for many looks stays below 3.2 (Jennison & Turnbull table 2.1: K=50 → 2.87).
    expect(c[3]!).toBeLessThan(3.2);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });

  it('is deterministic (seeded), so results are reproducible', () => {
    expect(perLookConfidence(6, 60)).toBe(perLookConfidence(6, 60));
  });

  it(
    'A/A auto-sampling: peeking at a plain 95% CI after every round declares false differences far too often; ' +
      'the adjusted level keeps it near 5%',
    async () => {
      const naive = await falseDifferenceRate(600, 4, 30, 0.95);
      const adjusted = await falseDifferenceRate(600, 4, 30);
      expect(naive).toBeGreaterThan(0.1);
      expect(adjusted).toBeLessThan(0.065);
    },
  );
});
