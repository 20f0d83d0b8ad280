import { expect, test } from 'vitest';
import { exceedsDepth } from './depth.ts';

test('exceedsDepth measures nesting without recursion, even 1,000,000 levels deep', () => {
  expect(exceedsDepth('x', 0)).toBe(false);
  expect(exceedsDepth({ a: [1, { b: 2 }] }, 3)).toBe(false);
  expect(exceedsDepth({ a: [1, { b: 2 }] }, 2)).toBe(true);
  expect(exceedsDepth(new Uint8Array(10), 1)).toBe(false);
  let deep: unknown = 0;
  for (let i = 0; i < 1_000_000; i++) deep = [deep];
  expect(exceedsDepth(deep, 32)).toBe(true);
});
