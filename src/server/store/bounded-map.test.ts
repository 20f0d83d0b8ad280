import { describe, expect, it } from 'vitest';
import { retainedBytes } from '../test/heap.ts';
import { BoundedMap } from './bounded-map.ts';

describe('BoundedMap', () => {
  it('forgets the oldest key past capacity', () => {
    const m = new BoundedMap<string, number>(3);
    for (let i = 0; i < 5; i++) m.set(`k${i}`, i);
    expect(m.size).toBe(3);
    expect([m.get('k0'), m.get('k1'), m.get('k2'), m.get('k4')]).toEqual([undefined, undefined, 2, 4]);
    m.set('k2', 20); // an update does not change the eviction order
    m.set('k5', 5);
    expect([m.get('k2'), m.get('k3'), m.get('k5')]).toEqual([undefined, 3, 5]);
  });

  it('costs nothing per slot until used (1000 empty 10,000-capacity maps stay small)', () => {
    const { bytes, value } = retainedBytes(() =>
      Array.from({ length: 1000 }, () => new BoundedMap<string, string[]>(10_000)),
    );
    expect(value).toHaveLength(1000);
    expect(bytes).toBeLessThan(10 * 1024 * 1024); // preallocated slots would be ~80 MB
  });
});
