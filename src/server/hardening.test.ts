import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Ably, connected, Lab, type RawClient, waitFor } from './test/helpers.ts';

/**
 * Hostile input that once broke the server for others: each case asserts the exact Ably error,
 * that nothing was stored or ACKed for it, and that a healthy ably-js pair kept working.
 */
let lab: Lab;
let healthyPub: Ably.Realtime;
let received: string[];
let seq = 0;
const keyQ = () => `key=${encodeURIComponent(lab.server.key)}`;

beforeAll(async () => {
  lab = await Lab.start();
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

/** `{a:{a:…{}}}`, `depth` levels, built without recursion. */
function nested(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = {};
  for (let i = 1; i < depth; i++) v = { a: v };
  return v;
}

describe('a message the encoders cannot carry is refused before it is stored (RSL1, TM2i)', () => {
  test('extras nested 70 deep: NACK 40013, nothing stored, msgpack and JSON subscribers get the next message, history is intact', async () => {
    const mp = lab.realtime(); // msgpack first: delivery used to stop at the first msgpack subscriber
    const js = lab.realtime({ useBinaryProtocol: false });
    const gotMp: string[] = [];
    const gotJs: string[] = [];
    await mp.channels.get('poison').subscribe((m) => void gotMp.push(m.name!));
    await js.channels.get('poison').subscribe((m) => void gotJs.push(m.name!));
    const raw = await connectedRaw();
    raw.send({
      action: 15,
      channel: 'poison',
      msgSerial: 0,
      messages: [{ name: 'bad', data: 'x', extras: nested(70) }],
    });
    const nack = await raw.next((f) => f.action === 2);
    expect(nack).toMatchObject({ msgSerial: 0, count: 1, error: { code: 40013, statusCode: 400 } });
    const rest = lab.rest({ useBinaryProtocol: false });
    await expect(
      rest.channels.get('poison').publish({ name: 'bad-rest', data: 'x', extras: nested(70) }),
    ).rejects.toMatchObject({ code: 40013, statusCode: 400 });
    raw.send({ action: 15, channel: 'poison', msgSerial: 1, messages: [{ name: 'good', data: 'x' }] });
    await raw.next((f) => f.action === 1 && f.msgSerial === 1);
    await waitFor(() => gotMp.length > 0 && gotJs.length > 0, 3000, 'delivery of the good message');
    expect(gotMp).toEqual(['good']);
    expect(gotJs).toEqual(['good']);
    const page = await lab.rest().channels.get('poison').history(); // msgpack
    expect(page.items.map((m) => m.name)).toEqual(['good']);
    await stillHealthy();
  });
});

describe('the deepest extras the encoders can carry are accepted', () => {
  // The msgpack encoder allows 64 levels for a whole ProtocolMessage; extras sit 3 levels down
  // (frame → messages → message). An SDK may send anything up to that: ours and ably-js do (the
  // Rust SDK's interop e2e test sends extras 58 deep), so the limit must not refuse it.
  test('extras nested 60 deep: ACKed, delivered to msgpack and JSON subscribers, in msgpack history', async () => {
    const mp = lab.realtime();
    const js = lab.realtime({ useBinaryProtocol: false });
    const gotMp: unknown[] = [];
    const gotJs: unknown[] = [];
    await mp.channels.get('deep-ok').subscribe((m) => void gotMp.push(m.extras));
    await js.channels.get('deep-ok').subscribe((m) => void gotJs.push(m.extras));
    const raw = await connectedRaw();
    raw.send({
      action: 15,
      channel: 'deep-ok',
      msgSerial: 0,
      messages: [{ name: 'deep', data: 'x', extras: nested(60) }],
    });
    await raw.next((f) => f.action === 1 && f.msgSerial === 0);
    await waitFor(() => gotMp.length > 0 && gotJs.length > 0, 3000, 'delivery of the deep message');
    expect(gotMp[0]).toEqual(nested(60));
    expect(gotJs[0]).toEqual(nested(60));
    const page = await lab.rest().channels.get('deep-ok').history(); // msgpack
    expect(page.items.map((m) => m.name)).toEqual(['deep']);
    await stillHealthy();
  });
});

describe('a message is never ACKed unless it was published (RTN7)', () => {
  test('msgSerial 1e308 / Infinity / NaN / -5 over msgpack: ERROR 40000 and close, no ACK, nothing delivered', async () => {
    const sub = lab.realtime();
    const got: unknown[] = [];
    await sub.channels.get('serials').subscribe((m) => void got.push(m.data));
    for (const bad of [1e308, Infinity, NaN, -5]) {
      const raw = await connectedRaw('msgpack');
      raw.send({ action: 15, channel: 'serials', msgSerial: bad, messages: [{ data: `bad ${bad}` }] });
      raw.send({ action: 15, channel: 'serials', msgSerial: 0, messages: [{ data: `after ${bad}` }] });
      const err = await raw.next((f) => f.action === 9);
      expect(err.error, String(bad)).toMatchObject({ code: 40000, statusCode: 400 });
      expect(err.channel).toBeUndefined();
      expect(await raw.closed()).toBe(1000);
      expect(raw.frames.filter((f) => f.action === 1)).toEqual([]);
    }
    await stillHealthy();
    expect(got).toEqual([]);
  });
});

describe('channel names are validated once, for REST and realtime (40010, channel-scoped)', () => {
  const bad = ['', 'c'.repeat(1025), ':hell', '::', 'a\u0001b', 'new\nline', 'del\u007f', '[meta]log', '[?rewind=1]x'];

  test('a bad name on ATTACH, DETACH or MESSAGE fails that channel only; the connection and its channels go on', async () => {
    const raw = await connectedRaw();
    raw.send({ action: 10, channel: 'fine' });
    await raw.next((f) => f.action === 11 && f.channel === 'fine');
    for (const name of bad) {
      raw.send({ action: 10, channel: name });
      const err = await raw.next((f) => f.action === 9 && f.channel === name);
      expect(err.error, JSON.stringify(name)).toMatchObject({ code: 40010, statusCode: 400 });
    }
    raw.send({ action: 12, channel: '' });
    await raw.next(
      (f) =>
        f.action === 9 && f.channel === '' && raw.frames.filter((x) => x.action === 9 && x.channel === '').length === 2,
    );
    raw.send({ action: 15, channel: ':hell', msgSerial: 0, messages: [{ data: 'x' }] });
    expect(await raw.next((f) => f.action === 2)).toMatchObject({ msgSerial: 0, error: { code: 40010 } });
    raw.send({ action: 15, channel: 'fine', msgSerial: 1, messages: [{ data: 'still here' }] });
    await raw.next((f) => f.action === 1 && f.msgSerial === 1);
    await raw.next((f) => f.action === 15 && f.channel === 'fine');
    expect(raw.closeCode).toBeUndefined();
    expect(raw.frames.filter((f) => f.action === 9 && f.channel === undefined)).toEqual([]);
    await stillHealthy();
  });

  test('ably-js: attaching to ":hell" fails that channel with 40010; the connection stays connected', async () => {
    const c = lab.realtime();
    await expect(c.channels.get(':hell').attach()).rejects.toMatchObject({ code: 40010 });
    await c.channels.get('fine-too').attach();
    expect(c.connection.state).toBe('connected');
  });

  test('REST publish, history and status refuse the same names with 400 40010', async () => {
    const rest = lab.rest();
    for (const name of ['c'.repeat(5000), ':hell', '::', 'a\u0001b', '[meta]log']) {
      await expect(rest.channels.get(name).publish('m', 'x'), JSON.stringify(name.slice(0, 10))).rejects.toMatchObject({
        code: 40010,
        statusCode: 400,
      });
      await expect(rest.channels.get(name).history()).rejects.toMatchObject({ code: 40010, statusCode: 400 });
    }
    const r = await rest.request('post', '/messages', 2, null, [
      { channels: ['ok-batch', ':hell'], messages: [{ data: 'x' }] },
    ]);
    expect(r.statusCode).toBe(201);
    const batch = r.items[0] as {
      successCount: number;
      failureCount: number;
      results: Array<{ channel: string; error?: { code: number } }>;
    };
    expect(batch).toMatchObject({ successCount: 1, failureCount: 1 });
    expect(batch.results.find((x) => x.channel === ':hell')?.error?.code).toBe(40010);
    await stillHealthy();
  });
});

describe('input nested without bound is a 4xxxx, never a stack overflow (50000)', () => {
  const deepJson = (n: number) => '['.repeat(n) + ']'.repeat(n);

  test('HEARTBEAT whose id is nested 100k deep: ERROR 40000 (JSON and msgpack), others unaffected', async () => {
    const raw = await connectedRaw();
    raw.sendRaw(`{"action":0,"id":${deepJson(100_000)}}`, false);
    const err = await raw.next((f) => f.action === 9);
    expect(err.error).toMatchObject({ code: 40000, statusCode: 400 });
    expect(await raw.closed()).toBe(1000);
    const mp = await connectedRaw('msgpack');
    const n = 100_000;
    mp.sendRaw(
      Buffer.concat([
        Buffer.from([0x82, 0xa6]),
        Buffer.from('action'),
        Buffer.from([0x00, 0xa2]),
        Buffer.from('id'),
        Buffer.alloc(n, 0x91),
        Buffer.from([0x90]),
      ]),
      true,
    );
    expect((await mp.next((f) => f.action === 9)).error).toMatchObject({ code: 40000, statusCode: 400 });
    await stillHealthy();
  });

  test('a HEARTBEAT id that is not a string is refused (TR4: id is a string); a string id is echoed', async () => {
    const raw = await connectedRaw();
    raw.send({ action: 0, id: 'ping-1' });
    expect(await raw.next((f) => f.action === 0 && f.id === 'ping-1')).toEqual({ action: 0, id: 'ping-1' });
    raw.send({ action: 0, id: { nested: true } });
    expect((await raw.next((f) => f.action === 9)).error).toMatchObject({ code: 40000 });
  });

  test('ATTACH params nested 100k deep: 40000, not 50000', async () => {
    const raw = await connectedRaw();
    raw.sendRaw(`{"action":10,"channel":"p","params":{"x":${deepJson(100_000)}}}`, false);
    const err = await raw.next((f) => f.action === 9);
    expect(err.error).toMatchObject({ code: 40000, statusCode: 400 });
    await stillHealthy();
  });

  test('REST publish with extras nested 100k deep: 400 with a 4xxxx code, nothing stored', async () => {
    const body = `[{"name":"deep","data":"x","extras":{"x":${deepJson(100_000)}}}]`;
    for (const path of ['/channels/deep-rest/messages', '/messages']) {
      const payload = path === '/messages' ? `[{"channels":["deep-rest"],"messages":${body}}]` : body;
      const r = await fetch(`${lab.server.url}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(lab.server.key).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: payload,
      });
      const json = (await r.json()) as
        | { error?: { code: number } }
        | Array<{ results: Array<{ error?: { code: number } }> }>;
      const code = Array.isArray(json) ? json[0]!.results[0]!.error?.code : json.error?.code;
      expect(code, path).toBeGreaterThanOrEqual(40000);
      expect(code, path).toBeLessThan(50000);
    }
    const page = await lab.rest().channels.get('deep-rest').history();
    expect(page.items).toEqual([]);
    await stillHealthy();
  });
});

test('ATTACH params that are not string-valued: channel ERROR 40003, connection stays', async () => {
  const raw = await connectedRaw('msgpack');
  let v: unknown = 'x';
  for (let i = 0; i < 80; i++) v = { v };
  raw.send({ action: 10, channel: 'pp', params: { deep: v } });
  expect(await raw.next((f) => f.action === 9)).toMatchObject({
    channel: 'pp',
    error: { code: 40003, statusCode: 400 },
  });
  raw.send({ action: 10, channel: 'pp', params: { rewind: '1' } });
  expect(await raw.next((f) => f.action === 11)).toMatchObject({ channel: 'pp', params: { rewind: '1' } });
});
