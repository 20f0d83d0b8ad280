/**
 * Measures the granularity of a clock: the smallest non-zero step between consecutive readings.
 * In a cross-origin-isolated Chromium context `performance.now()` steps by 5 µs; without isolation
 * by 100 µs (Chromium's TimeClamper;
 * docs/method.md#timer-resolution-and-cross-origin-isolation). Returns µs; `Infinity` if
 * the clock never moved within `maxReadings`.
 */
/** Busy-waits `ms` on the given clock (the CLI's thread-finding spin, the test-only slowdown). */
export function spinFor(ms: number, now: () => number = () => performance.now()): void {
  const end = now() + ms;
  while (now() < end);
}

export function timerGranularityUs(now: () => number, maxReadings = 200_000, wantedSteps = 50): number {
  let smallest = Infinity;
  let steps = 0;
  let prev = now();
  for (let i = 0; i < maxReadings && steps < wantedSteps; i++) {
    const t = now();
    const d = t - prev;
    if (d > 0) {
      steps++;
      if (d < smallest) smallest = d;
      prev = t;
    }
  }
  return smallest * 1000;
}
