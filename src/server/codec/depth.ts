/**
 * Nesting depth of decoded input, measured without recursion: a client controls the depth, so
 * nothing that walks its values may use the call stack (JSON.stringify, our msgpack encoder and
 * messageSize all recurse). Scalars are depth 0, `{}` and `[]` depth 1.
 */
export function exceedsDepth(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: Array<[object, number]> = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > max) return true;
    if (v instanceof Uint8Array) continue;
    for (const k in v) {
      const child = (v as Record<string, unknown>)[k];
      if (typeof child === 'object' && child !== null) stack.push([child, d + 1]);
    }
  }
  return false;
}
