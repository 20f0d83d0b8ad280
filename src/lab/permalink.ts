/**
 * Permalinks: the whole results object in a URL hash, no server needed (the lab page renders it).
 * Format: `#r1.<base64url(deflate-raw(JSON))>` where JSON is exactly the schema-versioned results
 * (results.ts) or a merged file of several runs (merged.ts, `kind: "merged"`). Decoding is
 * defensive: the encoded length and the decompressed size are capped before anything is parsed,
 * and the JSON is validated against the schema (a merged file: every run). `permalinkFor` refuses
 * to make a link those caps would refuse to open.
 * Pure: uses only CompressionStream/DecompressionStream (browsers and Node ≥ 18).
 */
import { PERMALINK_MAX_DECOMPRESSED, PERMALINK_MAX_ENCODED } from './defaults';
import { isMerged, type LabMergedV1, validateMerged } from './merged';
import { type LabResultsV1, validateResults } from './results';

export const HASH_PREFIX = 'r1.';

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error('not base64url');
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function collect(stream: ReadableStream<Uint8Array>, cap: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > cap) {
      await reader.cancel();
      throw new Error(`decompressed data exceeds ${cap} bytes`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function through(
  bytes: Uint8Array,
  transform: CompressionStream | DecompressionStream,
  cap: number,
): Promise<Uint8Array> {
  const writer = transform.writable.getWriter();
  // Errors surface on the readable side; the writer's own promise is consumed to avoid unhandled rejections.
  writer
    .write(bytes as Uint8Array<ArrayBuffer>)
    .then(() => writer.close())
    .catch(() => undefined);
  return collect(transform.readable as ReadableStream<Uint8Array>, cap);
}

/** Encodes results (or a merged file) into the hash payload (without '#'). */
export async function encodePermalink(results: LabResultsV1 | LabMergedV1): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(results));
  const deflated = await through(json, new CompressionStream('deflate-raw'), Infinity);
  return HASH_PREFIX + toBase64Url(deflated);
}

export type Linked = { ok: true; hash: string } | { ok: false; error: string };

/**
 * The hash for results or a merged file, or why there is none: a link longer than the page
 * decodes, or data larger than it inflates, would only ever show an error.
 */
export async function permalinkFor(
  value: LabResultsV1 | LabMergedV1,
  limits: { encoded?: number; decompressed?: number } = {},
): Promise<Linked> {
  const maxEncoded = limits.encoded ?? PERMALINK_MAX_ENCODED;
  const maxJson = limits.decompressed ?? PERMALINK_MAX_DECOMPRESSED;
  const what = isMerged(value) ? `these ${(value as LabMergedV1).runs.length} runs are` : 'these results are';
  const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
  if (bytes > maxJson)
    return {
      ok: false,
      error: `${what} too large for a link (${bytes} bytes of JSON > ${maxJson}); share the file instead`,
    };
  const hash = await encodePermalink(value);
  if (hash.length > maxEncoded)
    return {
      ok: false,
      error: `${what} too large for a link (${hash.length} characters > ${maxEncoded}); share the file instead`,
    };
  return { ok: true, hash };
}

export type Decoded =
  | { ok: true; results: LabResultsV1 }
  | { ok: true; merged: LabMergedV1 }
  | { ok: false; error: string };

/** Decodes a hash (with or without '#'); never throws; every failure is a readable error. */
export async function decodePermalink(hash: string, maxDecompressed = PERMALINK_MAX_DECOMPRESSED): Promise<Decoded> {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (h.length > PERMALINK_MAX_ENCODED)
    return { ok: false, error: `link too long (${h.length} > ${PERMALINK_MAX_ENCODED} characters)` };
  if (!h.startsWith(HASH_PREFIX))
    return { ok: false, error: `not a lab results link (expected it to start with "${HASH_PREFIX}")` };
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(h.slice(HASH_PREFIX.length));
  } catch {
    return { ok: false, error: 'the link is corrupt (not base64url)' };
  }
  let inflated: Uint8Array;
  try {
    inflated = await through(bytes, new DecompressionStream('deflate-raw'), maxDecompressed);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      error: msg.includes('exceeds')
        ? `the link is too large: ${msg}`
        : 'the link is corrupt or truncated (cannot decompress)',
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(inflated));
  } catch {
    return { ok: false, error: 'the link is corrupt (not JSON)' };
  }
  if (isMerged(parsed)) {
    const m = validateMerged(parsed);
    return m.ok
      ? { ok: true, merged: m.value }
      : { ok: false, error: `the link does not hold valid merged lab results: ${m.errors.slice(0, 5).join('; ')}` };
  }
  const v = validateResults(parsed);
  return v.ok
    ? { ok: true, results: v.value }
    : { ok: false, error: `the link does not hold valid lab results: ${v.errors.slice(0, 5).join('; ')}` };
}

/** A full URL: the page's origin + path and the hash. */
export async function permalinkUrl(base: string, results: LabResultsV1 | LabMergedV1): Promise<string> {
  return `${base.replace(/#.*$/, '')}#${await encodePermalink(results)}`;
}
