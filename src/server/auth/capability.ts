import { Errors } from '../errors.ts';

/**
 * Capabilities (RSA4/TK2): `{ "<channel pattern>": ["publish","subscribe","history","presence","*"] }`.
 * A pattern is an exact name, `*`, or a prefix ending in `*` (e.g. `chat:*`).
 */
export type Capability = Record<string, string[]>;
export type Operation = 'publish' | 'subscribe' | 'history' | 'presence';

export const ALL_CAPABILITY: Capability = { '*': ['*'] };

/** Operations a capability may grant (Ably capability operations; `*` alone grants them all). */
const OPERATIONS = new Set([
  'publish',
  'subscribe',
  'history',
  'presence',
  'channel-metadata',
  'push-subscribe',
  'push-admin',
  'statistics',
  'privileged-headers',
  'object-subscribe',
  'object-publish',
  'annotation-publish',
  'annotation-subscribe',
  'message-update-own',
  'message-update-any',
  'message-delete-own',
  'message-delete-any',
]);

/** Parses and validates a capability: 40003 (400) for anything Ably would refuse as malformed. */
export function parseCapability(text: string | Capability | undefined): Capability {
  if (text === undefined || text === '') return ALL_CAPABILITY;
  let value: unknown = text;
  if (typeof text === 'string') {
    try {
      value = JSON.parse(text);
    } catch {
      throw Errors.invalidParam('Invalid capability: not JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw Errors.invalidParam('Invalid capability: not an object');
  for (const [k, ops] of Object.entries(value)) {
    if (!Array.isArray(ops) || !ops.every((o) => typeof o === 'string')) {
      throw Errors.invalidParam(`Invalid capability for ${k}: expected an array of operations`);
    }
    if (ops.length === 0) throw Errors.invalidParam(`Invalid capability for ${k}: no operations`);
    if (ops.includes('*') && ops.length > 1)
      throw Errors.invalidParam(`Invalid capability for ${k}: "*" cannot be combined with other operations`);
    const unknown = ops.find((o) => o !== '*' && !OPERATIONS.has(o));
    if (unknown !== undefined)
      throw Errors.invalidParam(`Invalid capability for ${k}: unknown operation ${JSON.stringify(unknown)}`);
  }
  return value as Capability;
}

/** Canonical text: keys sorted, ops sorted (what ably-js signs). */
export function capabilityText(c: Capability): string {
  const out: Capability = {};
  for (const k of Object.keys(c).sort()) out[k] = [...c[k]!].sort();
  return JSON.stringify(out);
}

/**
 * Whether resource pattern `a` covers `b` (a channel name or another pattern): `[*]*` covers
 * everything, qualified names (`[meta]…`, `[filter=…]…`) included; `*` every unqualified name;
 * `prefix*` names (and patterns) starting with the prefix.
 */
function covers(a: string, b: string): boolean {
  if (a === '[*]*' || a === b) return true;
  if (b.startsWith('[') && !a.startsWith('[')) return false;
  return a.endsWith('*') && b.startsWith(a.slice(0, -1));
}

export function allows(c: Capability, channel: string, op: Operation): boolean {
  for (const pattern in c) {
    if (!covers(pattern, channel)) continue;
    const ops = c[pattern]!;
    if (ops.includes('*') || ops.includes(op)) return true;
  }
  return false;
}

/**
 * A token's capability: the intersection of its key's and the requested one (RSA4/TK2b), the
 * narrower pattern and the common operations of every overlapping pair. 40160 if nothing is left.
 */
export function intersect(key: Capability, requested: Capability): Capability {
  const out: Record<string, Set<string>> = {};
  for (const [kp, kops] of Object.entries(key)) {
    for (const [rp, rops] of Object.entries(requested)) {
      const pattern = covers(kp, rp) ? rp : covers(rp, kp) ? kp : undefined;
      if (pattern === undefined) continue;
      const ops = kops.includes('*') ? rops : rops.includes('*') ? kops : rops.filter((o) => kops.includes(o));
      if (!ops.length) continue;
      const set = (out[pattern] ??= new Set());
      for (const o of ops) set.add(o);
    }
  }
  const result: Capability = {};
  for (const [p, set] of Object.entries(out)) result[p] = set.has('*') ? ['*'] : [...set];
  if (Object.keys(result).length === 0)
    throw Errors.capabilityDenied('Requested capability has nothing in common with the key capability');
  return result;
}
