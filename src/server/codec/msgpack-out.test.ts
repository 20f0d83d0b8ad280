import { decode, encode } from '@msgpack/msgpack';
import { expect, test } from 'vitest';
import { encodeMsgpackFast, encodeMsgpackWsFrame } from './msgpack-out.ts';

/** Round-trip and byte-equality against @msgpack/msgpack (ignoreUndefined) over tricky values. */
const samples: unknown[] = [
  0,
  1,
  127,
  128,
  255,
  256,
  65535,
  65536,
  2 ** 32 - 1,
  2 ** 32,
  Date.now(),
  Number.MAX_SAFE_INTEGER,
  -1,
  -32,
  -33,
  -128,
  -129,
  -32768,
  -32769,
  -(2 ** 31),
  -(2 ** 31) - 1,
  -Number.MAX_SAFE_INTEGER,
  1.5,
  -0.25,
  1e300,
  '',
  'a',
  'x'.repeat(10),
  'x'.repeat(11),
  'x'.repeat(31),
  'x'.repeat(32),
  'x'.repeat(255),
  'x'.repeat(256),
  'x'.repeat(70000),
  'ü',
  'ü'.repeat(20),
  '日本語'.repeat(100),
  '😀',
  true,
  false,
  null,
  new Uint8Array([]),
  new Uint8Array([1, 2, 3]),
  new Uint8Array(300),
  new Uint8Array(70000),
  [],
  [1, 'a', null],
  Array.from({ length: 20 }, (_, i) => i),
  Array.from({ length: 70000 }, () => 0),
  {},
  { a: 1, b: undefined, c: 'x' },
  Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
  {
    action: 15,
    channel: 'c',
    timestamp: Date.now(),
    messages: [{ id: 'a:0:0', data: new Uint8Array([9]), extras: { headers: { x: 'y' } } }],
  },
];

test('encodeMsgpackFast matches @msgpack/msgpack byte for byte and round-trips', () => {
  for (const v of samples) {
    const ours = encodeMsgpackFast(v);
    const lib = encode(v, { ignoreUndefined: true });
    expect(Buffer.from(ours).equals(Buffer.from(lib)), JSON.stringify(v)?.slice(0, 80)).toBe(true);
    expect(decode(new Uint8Array(ours))).toEqual(decode(lib));
  }
});

test('encodeMsgpackWsFrame = WS header + the same msgpack bytes', () => {
  for (const v of [{ a: 1 }, 'x'.repeat(200), new Uint8Array(70000)]) {
    const f = encodeMsgpackWsFrame(v);
    const body = encodeMsgpackFast(v);
    const h = body.length < 126 ? 2 : body.length < 65536 ? 4 : 10;
    expect(f[0]).toBe(0x82);
    expect(f.subarray(h).equals(body)).toBe(true);
  }
});
