import { Errors } from '../errors.ts';

/**
 * Capabilities (RSA4/TK2): `{ "<channel pattern>": ["publish","subscribe","history","presence","*"] }`.
 * A pattern is an exact name, `*`, or a prefix ending in `*` (e.g. `chat:*`).
 */
export type Capability = Record<string, string[]>;
export type Operation = 'publish' | 'subscribe' | 'history' | 'presence';

export const ALL_CAPABILITY: Capability = { '*': ['*'] };

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
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw Errors.invalidParam('Invalid capability: not an object');
  for (const [k, ops] of Object.entries(value)) {
    if (!Array.isArray(ops) || !ops.every((o) => typeof o === 'string')) {
      throw Errors.invalidParam(`Invalid capability for ${k}: expected an array of operations`);
    }
  }
  return value as Capability;
}

/** Canonical text: keys sorted, ops sorted (what ably-js signs). */
export function capabilityText(c: Capability): string {
  const out: Capability = {};
  for (const k of Object.keys(c).sort()) out[k] = [...c[k]!].sort();
  return JSON.stringify(out);
}

function matches(pattern: string, channel: string): boolean {
  if (pattern === '*' || pattern === channel) return true;
  return pattern.endsWith('*') && channel.startsWith(pattern.slice(0, -1));
}

export function allows(c: Capability, channel: string, op: Operation): boolean {
  for (const pattern in c) {
    if (!matches(pattern, channel)) continue;
    const ops = c[pattern]!;
    if (ops.includes('*') || ops.includes(op)) return true;
  }
  return false;
}

/** The intersection used for tokens: a token cannot exceed its key (RSA4/TK2b). */
export function intersect(key: Capability, requested: Capability): Capability {
  const out: Capability = {};
  for (const [pattern, ops] of Object.entries(requested)) {
    const granted = ops.filter((op) =>
      Object.entries(key).some(([kp, kops]) => (kp === '*' || kp === pattern || (kp.endsWith('*') && pattern.startsWith(kp.slice(0, -1)))) && (kops.includes('*') || kops.includes(op))),
    );
    if (granted.length) out[pattern] = granted;
  }
  if (Object.keys(out).length === 0) throw Errors.capabilityDenied('Requested capability is not a subset of the key capability');
  return out;
}
