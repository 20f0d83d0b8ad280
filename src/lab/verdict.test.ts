import { describe, expect, it } from 'vitest';
import { CLAIMS, claimStatus, verdict } from './verdict';

const ci = (lo: number, hi: number) => ({ lo, hi });

describe('verdict (candidate/reference ratio, ±2 % margin)', () => {
  it('lower-is-better: a clearly smaller ratio is faster, larger is slower', () => {
    expect(verdict(0.8, ci(0.75, 0.85), 'lower')).toBe('faster');
    expect(verdict(1.3, ci(1.2, 1.4), 'lower')).toBe('slower');
  });
  it('higher-is-better (rates) inverts the direction', () => {
    expect(verdict(1.3, ci(1.2, 1.4), 'higher')).toBe('faster');
    expect(verdict(0.8, ci(0.75, 0.85), 'higher')).toBe('slower');
  });
  it('equivalent only when the whole CI is inside ±2 %', () => {
    expect(verdict(1.0, ci(0.99, 1.015), 'lower')).toBe('equivalent');
    expect(verdict(1.0, ci(0.97, 1.015), 'lower')).toBe('unsure');
  });
  it('a CI that includes 1 but is wide is unsure; an effect inside the margin is not "faster"', () => {
    expect(verdict(0.9, ci(0.7, 1.1), 'lower')).toBe('unsure');
    expect(verdict(0.99, ci(0.975, 0.995), 'lower')).toBe('unsure');
  });
  it('missing or infinite CIs are unsure', () => {
    expect(verdict(NaN, ci(0, Infinity), 'lower')).toBe('unsure');
    expect(verdict(0.5, ci(0.4, Infinity), 'lower')).toBe('unsure');
  });
});

describe('claims', () => {
  it('"≥40 % faster" holds only when the whole time-like CI is ≤ 0.6', () => {
    expect(claimStatus(0.5, ci(0.45, 0.58), 'lower', CLAIMS.speed)).toBe('holds');
    expect(claimStatus(0.7, ci(0.65, 0.75), 'lower', CLAIMS.speed)).toBe('fails');
    expect(claimStatus(0.6, ci(0.55, 0.65), 'lower', CLAIMS.speed)).toBe('unsure');
  });
  it('for rates the claim is rate ≥ 1/0.6 (ratio inverted)', () => {
    expect(claimStatus(2, ci(1.8, 2.2), 'higher', CLAIMS.speed)).toBe('holds');
    expect(claimStatus(1.2, ci(1.1, 1.3), 'higher', CLAIMS.speed)).toBe('fails');
  });
  it('"≥50 % less memory" uses 0.5', () => {
    expect(claimStatus(0.3, ci(0.28, 0.32), 'lower', CLAIMS.memory)).toBe('holds');
    expect(claimStatus(0.55, ci(0.52, 0.6), 'lower', CLAIMS.memory)).toBe('fails');
  });
});
