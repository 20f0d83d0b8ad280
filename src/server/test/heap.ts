import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Heap bytes retained by what `make` returns, with a full GC before and after, so garbage left by
 * earlier tests (collected meanwhile) cannot hide the growth.
 */
export function retainedBytes(make: () => unknown): { bytes: number; value: unknown } {
  gc();
  const before = process.memoryUsage().heapUsed;
  const value = make();
  gc();
  return { bytes: process.memoryUsage().heapUsed - before, value };
}
