import { describe, expect, it } from 'vitest';
import { timerGranularityUs } from './timer';

/** A fake clock (ms) that advances by `stepMs` every `callsPerStep` readings. */
function steppingClock(stepMs: number, callsPerStep: number): () => number {
  let calls = 0;
  return () => Math.floor(calls++ / callsPerStep) * stepMs;
}

describe('timerGranularityUs', () => {
  it('reports the step of an isolated-context clock (5 µs)', () => {
    expect(timerGranularityUs(steppingClock(0.005, 7))).toBeCloseTo(5, 6);
  });

  it('reports the step of a coarse clock (100 µs)', () => {
    expect(timerGranularityUs(steppingClock(0.1, 30))).toBeCloseTo(100, 6);
  });

  it('reports the smallest step when steps vary (jittered clamping)', () => {
    const readings = [0, 0, 0.1, 0.1, 0.105, 0.2, 0.3];
    let i = 0;
    const clock = () => readings[Math.min(i++, readings.length - 1)]!;
    expect(timerGranularityUs(clock, readings.length)).toBeCloseTo(5, 6);
  });

  it('returns Infinity for a clock that never moves', () => {
    expect(timerGranularityUs(() => 42, 1000)).toBe(Infinity);
  });
});
