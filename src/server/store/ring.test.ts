import { describe, expect, it } from 'vitest';
import { Ring } from './ring.ts';

describe('Ring', () => {
  it('keeps the newest `capacity` entries in order, oldest first', () => {
    const r = new Ring<number>(3);
    for (let i = 1; i <= 5; i++) r.push(i);
    expect(r.length).toBe(3);
    expect([r.get(0), r.get(1), r.get(2)]).toEqual([3, 4, 5]);
  });

  it('costs nothing per slot until used (1000 idle 10,000-capacity rings stay small)', () => {
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    const rings = Array.from({ length: 1000 }, () => new Ring<object>(10_000));
    const grown = process.memoryUsage().heapUsed - before;
    expect(rings).toHaveLength(1000);
    expect(grown).toBeLessThan(10 * 1024 * 1024); // preallocated slots would be ~80 MB
  });
});
