import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decode } from '@msgpack/msgpack';
import { expect, test } from 'vitest';
import type { ProtocolMessage } from '../protocol/types.ts';
import { decodeFrame, encodeJson, encodeMsgpack } from './frame.ts';
import { canonicalMessage } from './payload.ts';

/**
 * The golden frames shared with the Rust SDK (rust-wasm/tests/fixtures): frames
 * captured from ably-js 2.28 must decode to the same canonical messages in both formats, and the
 * server's encoders must reproduce the canonical server-to-client frames byte for byte, including
 * the msgpack `bin` → JSON base64 transcoding.
 */
const dir = fileURLToPath(new URL('../../../rust-wasm/tests/fixtures/', import.meta.url));
const manifest = JSON.parse(readFileSync(`${dir}manifest.json`, 'utf8')) as Array<{
  name: string;
  direction: string;
  canonical: boolean;
}>;

test('fixture manifest is non-empty and has both directions', () => {
  expect(manifest.some((f) => f.direction === 'client-to-server')).toBe(true);
  expect(manifest.some((f) => f.direction === 'server-to-client' && f.canonical)).toBe(true);
});

for (const f of manifest) {
  test(`fixture ${f.name} (${f.direction})`, () => {
    const jsonBytes = readFileSync(`${dir}${f.name}.json`);
    const mpBytes = readFileSync(`${dir}${f.name}.msgpack`);
    const fromJson = decodeFrame(jsonBytes, false, 'json');
    const fromMp = decodeFrame(mpBytes, true, 'msgpack');
    expect(fromMp.action).toBe(fromJson.action);
    const canon = (pm: ProtocolMessage, fmt: 'json' | 'msgpack') =>
      (pm.messages ?? []).map((m) => canonicalMessage(m, fmt));
    const cj = canon(fromJson, 'json');
    const cm = canon(fromMp, 'msgpack').map((m) =>
      m.data instanceof Uint8Array ? { ...m, data: new Uint8Array(m.data) } : m,
    );
    expect(cj.map((m) => (m.data instanceof Uint8Array ? { ...m, data: new Uint8Array(m.data) } : m))).toEqual(cm);
    for (const m of cj) expect(m).not.toHaveProperty('size');
    if (f.direction === 'server-to-client' && f.canonical) {
      // msgpack → the server's JSON encoder reproduces the JSON text (bin → base64 + encoding).
      // PRESENCE is skipped: this server never emits it (no presence support).
      if (fromMp.action !== 14)
        expect(JSON.parse(encodeJson(fromMp).toString())).toEqual(JSON.parse(jsonBytes.toString()));
      expect(decode(encodeMsgpack(fromMp))).toEqual(decode(mpBytes));
      expect(encodeMsgpack(fromMp).equals(mpBytes), 'byte-identical msgpack').toBe(true);
    }
  });
}
