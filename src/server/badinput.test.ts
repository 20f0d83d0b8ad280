import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encode } from '@msgpack/msgpack';
import WebSocket from 'ws';
import { type Ably, connected, Lab, type RawClient, waitFor } from './test/helpers.ts';

/**
 * Bad input: each case asserts the exact Ably error code, and that a second, healthy ably-js client
 * pair kept publishing and receiving while (and after) it happened.
 */
let lab: Lab;
let healthyPub: Ably.Realtime;
let received: string[];
let seq = 0;
const keyQ = () => `key=${encodeURIComponent(lab.server.key)}`;

beforeAll(async () => {
  lab = await Lab.start({
    limits: { maxOutboundBufferBytes: 256 * 1024, maxFrameSize: 128 * 1024, maxFrameHardCap: 512 * 1024 },
  });
  healthyPub = lab.realtime();
  const sub = lab.realtime({ useBinaryProtocol: false });
  received = [];
  await sub.channels.get('healthy').subscribe((m) => void received.push(m.data as string));
  await connected(healthyPub);
});
afterAll(() => lab.close());

async function stillHealthy(): Promise<void> {
  const tag = `ok-${++seq}`;
  const r = await healthyPub.channels.get('healthy').publish('h', tag);
  expect(r?.serials).toHaveLength(1);
  await waitFor(() => received.includes(tag), 3000, `healthy delivery ${tag}`);
}

async function connectedRaw(format: 'json' | 'msgpack' = 'json', extra = ''): Promise<RawClient> {
  const raw = await lab.raw(`${keyQ()}${extra}`, format);
  await raw.next((f) => f.action === 4);
  return raw;
}

async function expectFatal(raw: RawClient, code: number, statusCode: number): Promise<void> {
  const err = await raw.next((f) => f.action === 9);
  expect(err.error).toMatchObject({ code, statusCode, message: expect.any(String) });
  expect(err.channel).toBeUndefined();
  expect(await raw.closed()).toBe(1000);
  await stillHealthy();
}

describe('fatal frame errors → ERROR then close', () => {
  test('malformed JSON → 40000', async () => {
    const raw = await connectedRaw();
    raw.sendRaw('{"action": 10, "channel": ', false);
    await expectFatal(raw, 40000, 400);
  });
  test('malformed msgpack → 40000', async () => {
    const raw = await connectedRaw('msgpack');
    raw.sendRaw(Buffer.from([0xc1, 0xff, 0x00]), true);
    await expectFatal(raw, 40000, 400);
  });
  test('wrong frame type: binary on a JSON connection → 40000', async () => {
    const raw = await connectedRaw('json');
    raw.sendRaw(Buffer.from(encode({ action: 0 })), true);
    await expectFatal(raw, 40000, 400);
  });
  test('wrong frame type: text on a msgpack connection → 40000', async () => {
    const raw = await connectedRaw('msgpack');
    raw.sendRaw('{"action":0}', false);
    await expectFatal(raw, 40000, 400);
  });
  test('not a ProtocolMessage (array, no action) → 40000', async () => {
    const raw = await connectedRaw();
    raw.sendRaw('[1,2,3]', false);
    await expectFatal(raw, 40000, 400);
  });
  test('unknown action → 40000', async () => {
    const raw = await connectedRaw();
    raw.send({ action: 99 });
    await expectFatal(raw, 40000, 400);
  });
  test('ATTACH without a channel → 40010', async () => {
    const raw = await connectedRaw();
    raw.send({ action: 10 });
    await expectFatal(raw, 40010, 400);
  });
  test('oversized frame (over maxFrameSize) → 40009', async () => {
    const raw = await connectedRaw();
    raw.send({ action: 15, channel: 'x', msgSerial: 0, messages: [{ data: 'x'.repeat(200 * 1024) }] });
    await expectFatal(raw, 40009, 413);
  });
  test('frame over the hard cap → WebSocket close 1009, nothing buffered', async () => {
    const raw = await connectedRaw();
    raw.send({ action: 15, channel: 'x', msgSerial: 0, messages: [{ data: 'x'.repeat(600 * 1024) }] });
    expect(await raw.closed()).toBe(1009);
    await stillHealthy();
  });
});

describe('per-message errors → NACK, connection stays up', () => {
  async function nack(raw: RawClient, msgSerial: number, code: number): Promise<void> {
    const f = await raw.next((x) => x.action === 2 && x.msgSerial === msgSerial);
    expect(f).toMatchObject({ count: 1, error: { code, statusCode: expect.any(Number), message: expect.any(String) } });
  }
  test(
    'MESSAGE without channel → NACK 40010; over maxMessageSize → 40009; bad data → 40013; ' +
      'clientId mismatch → 40012; then a good publish is ACKed',
    async () => {
      const raw = await connectedRaw('json', '&clientId=me');
      raw.send({ action: 15, msgSerial: 0, messages: [{ data: 'x' }] });
      await nack(raw, 0, 40010);
      raw.send({ action: 15, channel: 'big', msgSerial: 1, messages: [{ data: 'x'.repeat(65537) }] });
      await nack(raw, 1, 40009);
      raw.send({ action: 15, channel: 'c', msgSerial: 2, messages: [{ data: { not: 'encoded' } }] });
      await nack(raw, 2, 40013);
      raw.send({ action: 15, channel: 'c', msgSerial: 3, messages: [{ data: '!!!', encoding: 'base64' }] });
      await nack(raw, 3, 40013);
      raw.send({ action: 15, channel: 'c', msgSerial: 4, messages: [{ data: 'x', clientId: 'someone-else' }] });
      await nack(raw, 4, 40012);
      raw.send({ action: 15, channel: 'c', msgSerial: 5, messages: [] });
      await nack(raw, 5, 40013);
      raw.send({ action: 15, channel: 'c', msgSerial: 6, messages: [{ data: 'fine' }] });
      const ack = await raw.next((x) => x.action === 1 && x.msgSerial === 6);
      expect(ack).toMatchObject({ count: 1, res: [{ serials: [expect.any(String)] }] });
      raw.send({ action: 15, channel: 'c', msgSerial: 6, messages: [{ data: 'fine' }] });
      await waitFor(
        () => raw.frames.filter((x) => x.action === 1 && x.msgSerial === 6).length === 2,
        2000,
        're-ACK of duplicate msgSerial',
      );
      const acks = raw.frames.filter((x) => x.action === 1 && x.msgSerial === 6);
      expect(acks[1]!.res).toEqual(acks[0]!.res);
      await stillHealthy();
    },
  );
});

describe('connect errors → ERROR frame (ably-js goes failed)', () => {
  async function connectError(query: string, code: number, statusCode: number): Promise<void> {
    const raw = await lab.raw(query);
    const f = await raw.next((x) => x.action === 9);
    expect(f.error).toMatchObject({ code, statusCode });
    expect(await raw.closed()).toBe(1000);
  }
  test('wrong key secret → 40101', async () => {
    await connectError(`key=${encodeURIComponent('labapp.root:wrong')}`, 40101, 401);
    const c = lab.realtime({ key: 'labapp.root:wrong' });
    const change = await c.connection.once('failed');
    expect(change.reason?.code).toBe(40101);
    await stillHealthy();
  });
  // RTN14a: Ably's realtime answers 40101 for a key whose app it cannot find (it answered 40400
  // until December 2024: https://github.com/ably/ably-js/pull/1935). REST still answers 40400.
  test('key of an unknown app → 40101; unknown key of a known app → 40400 (unverified against Ably, docs/protocol-coverage.md)', async () => {
    await connectError(`key=${encodeURIComponent('ghost.app:secret')}`, 40101, 401);
    await connectError(`key=${encodeURIComponent('labapp.ghost:secret')}`, 40400, 404);
    await connectError(`key=${encodeURIComponent('ghost-without-dot:secret')}`, 40005, 400);
    await stillHealthy();
  });
  test('invalid token → 40140; expired token → 40142; no credentials → 40106', async () => {
    await connectError('access_token=not-a-token', 40140, 401);
    const td = await lab.rest().auth.requestToken({ ttl: 1 });
    await new Promise((r) => setTimeout(r, 10));
    await connectError(`access_token=${encodeURIComponent(td.token)}`, 40142, 401);
    await connectError('', 40106, 401);
    await stillHealthy();
  });
  test('token clientId conflicting with the clientId param → 40102', async () => {
    const td = await lab.rest().auth.requestToken({ clientId: 'alice' });
    await connectError(`access_token=${encodeURIComponent(td.token)}&clientId=bob`, 40102, 401);
  });
});

test('a client that never reads is disconnected once maxOutboundBufferBytes is exceeded (80020 counter), others unaffected', async () => {
  const before = ((await lab.lab('GET', 'metrics')) as { slowConsumerDisconnects: number }).slowConsumerDisconnects;
  const ws = new WebSocket(`ws://127.0.0.1:${lab.server.port}/?format=json&${keyQ()}`);
  ws.on('error', () => {});
  await new Promise((r) => ws.once('message', r));
  ws.send(JSON.stringify({ action: 10, channel: 'flood' }));
  await new Promise((r) => ws.once('message', r));
  (ws as unknown as { _socket: { pause(): void } })._socket.pause(); // stop reading, forever
  const pub = lab.realtime();
  const ch = pub.channels.get('flood');
  const big = 'y'.repeat(60000);
  let dropped = false;
  for (let i = 0; i < 400 && !dropped; i++) {
    await ch.publish('f', big);
    if (i % 20 === 0)
      dropped =
        ((await lab.lab('GET', 'metrics')) as { slowConsumerDisconnects: number }).slowConsumerDisconnects > before;
    if (i % 50 === 0) await stillHealthy();
  }
  expect(dropped).toBe(true);
  await stillHealthy();
  ws.terminate();
});

test('1,000 connections opening at once all get CONNECTED; healthy client unaffected', async () => {
  const n = 1000;
  const sockets: WebSocket[] = [];
  let ok = 0;
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(`ws://127.0.0.1:${lab.server.port}/?format=json&${keyQ()}`);
          sockets.push(ws);
          ws.on('error', reject);
          ws.once('message', (d: Buffer) => {
            if ((JSON.parse(d.toString()) as { action: number }).action === 4) ok++;
            resolve();
          });
        }),
    ),
  );
  expect(ok).toBe(n);
  await stillHealthy();
  const m = (await lab.lab('GET', 'metrics')) as { connections: number };
  expect(m.connections).toBeGreaterThanOrEqual(n);
  for (const s of sockets) s.terminate();
}, 30000);
