import { describe, expect, it } from 'vitest';
import { SequenceTracker } from './integrity';

describe('SequenceTracker', () => {
  it('counts lost, duplicated and reordered messages', () => {
    const t = new SequenceTracker(6, () => 0);
    for (const s of [0, 1, 3, 2, 3, 5]) t.add(s);
    expect(t.result()).toMatchObject({ expected: 6, received: 5, lost: 1, duplicated: 1, reordered: 1 });
  });
  it('waitFor resolves at the target, or after an idle gap when messages stop', async () => {
    const t = new SequenceTracker(3, () => 0);
    setTimeout(() => t.add(0), 5);
    const t0 = Date.now();
    await t.waitFor(3, 50);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    expect(t.result().lost).toBe(2);
  });
});
