import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Ably, Lab, type RawClient, waitFor } from './test/helpers.ts';

/**
 * The lab's blast (`POST /lab/channels/blast`) and discard-next (`POST /lab/connections/discard-next`)
 * hooks, against a real server with raw WebSocket clients (JSON and msgpack) and ably-js.
 * The slow-consumer / memory case runs in its own process: lab-hooks-slow.test.ts.
 */
let lab: Lab;
beforeAll(async () => {
  lab = await Lab.start();
});
afterAll(() => lab.close());

const keyQ = () => `key=${encodeURIComponent(lab.server.key)}`;
let uniq = 0;
const chan = (tag: string) => `${tag}-${++uniq}`;

type Msg = {
  id: string;
  name: string;
  data: unknown;
  encoding?: string;
  connectionId: string;
  timestamp: number;
  serial: string;
};

/** A raw client attached to `channels`; returns it with its connectionId. */
async function subscriber(format: 'json' | 'msgpack', ...channels: string[]): Promise<{ raw: RawClient; id: string }> {
  const raw = await lab.raw(keyQ(), format);
  const conn = await raw.next((f) => f.action === 4);
  for (const ch of channels) {
    raw.send({ action: 10, channel: ch });
    await raw.next((f) => f.action === 11 && f.channel === ch);
  }
  return { raw, id: conn.connectionId as string };
}

const messageFrames = (raw: RawClient, channel?: string) =>
  raw.frames.filter((f) => f.action === 15 && (channel === undefined || f.channel === channel));
const messagesOf = (raw: RawClient, channel?: string) =>
  messageFrames(raw, channel).flatMap((f) => f.messages as Msg[]);
const names = (raw: RawClient, channel?: string) => messagesOf(raw, channel).map((m) => Number(m.name));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

async function post(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`${lab.server.url}/lab/${path}`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(lab.server.key).toString('base64')}` },
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

type Counters = Record<'messagesOut' | 'messagesBlasted' | 'framesDiscarded' | 'messagesDiscarded', number>;
async function metrics(): Promise<Counters> {
  return (await lab.lab('GET', 'metrics')) as Counters;
}

describe('POST /lab/channels/blast', () => {
  test('delivers exactly N messages in order to a JSON and a msgpack subscriber, perFrame per MESSAGE frame, S-byte data, stamped like a publish', async () => {
    const ch = chan('blast');
    const json = await subscriber('json', ch);
    const mp = await subscriber('msgpack', ch);
    const before = await metrics();
    const r = await post(`channels/blast?channel=${ch}&count=1005&size=100&perFrame=10`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ published: 1005, frames: 101, subscribers: 2, stalled: 0 });
    expect(typeof r.body.elapsedMs).toBe('number');
    for (const { raw } of [json, mp]) {
      await waitFor(() => names(raw).length >= 1005, 5000, `1005 messages at ${raw.format}`);
      const frames = messageFrames(raw);
      expect(frames.map((f) => (f.messages as Msg[]).length)).toEqual([...Array(100).fill(10), 5]);
      expect(names(raw)).toEqual(range(0, 1005));
      const msgs = messagesOf(raw);
      for (const m of msgs) expect(m.data).toBe('x'.repeat(100));
      // as for a normal publish: frame id `<connectionId>:<n>`, message ids `<frame id>:<i>`, serials increasing, channelSerial = last serial
      const f0 = frames[0]!;
      expect(f0).toMatchObject({
        channel: ch,
        connectionId: 'lab-blast',
        id: expect.stringMatching(/^lab-blast:\d+$/),
        timestamp: expect.any(Number),
      });
      expect(msgs[3]).toMatchObject({ id: `${f0.id as string}:3`, connectionId: 'lab-blast', timestamp: f0.timestamp });
      expect('encoding' in msgs[3]!).toBe(false);
      const serials = msgs.map((m) => m.serial);
      expect([...serials].sort()).toEqual(serials);
      expect(new Set(serials).size).toBe(1005);
      for (const f of frames) expect(f.channelSerial).toBe((f.messages as Msg[]).at(-1)!.serial);
      expect(frames.at(-1)!.channelSerial).toBe(r.body.channelSerial);
    }
    // every frame was encoded once per format and written to both sockets
    const after = await metrics();
    expect(after.messagesBlasted - before.messagesBlasted).toBe(1005);
    expect(after.messagesOut - before.messagesOut).toBe(2010);
  });

  test('perFrame=1 and size=0; encoding=json and encoding=binary are transcoded per format', async () => {
    const ch = chan('blast-enc');
    const json = await subscriber('json', ch);
    const mp = await subscriber('msgpack', ch);
    expect((await post(`channels/blast?channel=${ch}&count=3&size=0`)).body).toMatchObject({ published: 3, frames: 3 });
    expect((await post(`channels/blast?channel=${ch}&count=2&size=10&encoding=json&perFrame=2`)).body).toMatchObject({
      published: 2,
      frames: 1,
    });
    expect((await post(`channels/blast?channel=${ch}&count=2&size=6&encoding=binary`)).body).toMatchObject({
      published: 2,
      frames: 2,
    });
    for (const { raw } of [json, mp])
      await waitFor(() => messagesOf(raw).length === 7, 3000, `7 messages at ${raw.format}`);
    const j = messagesOf(json.raw);
    const m = messagesOf(mp.raw);
    expect(j.map((x) => x.name)).toEqual(['0', '1', '2', '0', '1', '0', '1']);
    expect(messageFrames(json.raw).map((f) => (f.messages as Msg[]).length)).toEqual([1, 1, 1, 2, 1, 1]);
    expect(j[0]!.data).toBe('');
    expect(j[3]).toMatchObject({ data: '{"d":"xx"}', encoding: 'json' });
    expect(JSON.parse(j[3]!.data as string)).toEqual({ d: 'xx' });
    expect(m[3]).toMatchObject({ data: '{"d":"xx"}', encoding: 'json' });
    expect(j[5]).toMatchObject({ data: Buffer.from('xxxxxx').toString('base64'), encoding: 'base64' });
    expect(m[5]!.encoding).toBeUndefined();
    expect(new Uint8Array(m[5]!.data as Uint8Array)).toEqual(new Uint8Array(Buffer.from('xxxxxx')));
  });

  test('blast messages are in history and replayed on resume (attach with a channelSerial)', async () => {
    const ch = chan('blast-hist');
    const r = await post(`channels/blast?channel=${ch}&count=50&size=5&perFrame=10`);
    expect(r.body).toMatchObject({ published: 50, frames: 5, subscribers: 0 });
    const page = await lab.rest().channels.get(ch).history({ limit: 100, direction: 'forwards' });
    expect(page.items.map((m) => Number(m.name))).toEqual(range(0, 50));
    expect(page.items[0]).toMatchObject({ data: 'xxxxx', connectionId: 'lab-blast' });
    // resume from the serial of message 19: frames with 20..49 are replayed, flagged RESUMED
    const serial19 = page.items[19]!.serial!;
    const { raw } = await subscriber('json');
    raw.send({ action: 10, channel: ch, channelSerial: serial19 });
    const attached = await raw.next((f) => f.action === 11);
    expect((attached.flags as number) & 4).toBe(4); // RESUMED
    await waitFor(() => names(raw).length === 30, 3000, 'replayed messages');
    expect(names(raw)).toEqual(range(20, 50));
  });

  for (const useBinaryProtocol of [false, true]) {
    test(`an ably-js subscriber (${useBinaryProtocol ? 'msgpack' : 'json'}) receives a blast of 20,000 in order, with id and connectionId`, async () => {
      const ch = chan('blast-ablyjs');
      const c = lab.realtime({ useBinaryProtocol });
      const got: number[] = [];
      let first: Ably.Message | undefined;
      await c.channels.get(ch).subscribe((m) => {
        first ??= m;
        got.push(Number(m.name));
      });
      const r = await post(`channels/blast?channel=${ch}&count=20000&size=100&perFrame=10`);
      expect(r.body).toMatchObject({ published: 20000, frames: 2000, stalled: 0 });
      await waitFor(() => got.length >= 20000, 20000, `20000 at ably-js (got ${got.length})`);
      await new Promise((res) => setTimeout(res, 50));
      expect(got.length).toBe(20000);
      expect(got.every((n, i) => n === i)).toBe(true);
      expect(first).toMatchObject({
        name: '0',
        data: 'x'.repeat(100),
        connectionId: 'lab-blast',
        id: expect.stringMatching(/^lab-blast:\d+:0$/),
      });
      expect(c.connection.state).toBe('connected');
      c.close();
    }, 30000);
  }

  test('a blast stops when its caller goes away', async () => {
    const ch = chan('blast-abort');
    const before = await metrics();
    const ac = new AbortController();
    const req = fetch(`${lab.server.url}/lab/channels/blast?channel=${ch}&count=1000000&size=10&${keyQ()}`, {
      method: 'POST',
      signal: ac.signal,
    }).catch(() => 'aborted');
    await waitFor(() => false, 100).catch(() => {});
    ac.abort();
    expect(await req).toBe('aborted');
    await new Promise((res) => setTimeout(res, 50));
    const m1 = await metrics();
    await new Promise((res) => setTimeout(res, 300));
    const m2 = await metrics();
    expect(m1.messagesBlasted - before.messagesBlasted).toBeGreaterThan(0);
    expect(m1.messagesBlasted - before.messagesBlasted).toBeLessThan(1000000);
    expect(m2.messagesBlasted).toBe(m1.messagesBlasted); // without the stop it would still be going
  });

  test('bad parameters → 400 with an Ably error code; wrong method 405; no key 401', async () => {
    const cases: Array<[string, number]> = [
      ['count=10', 40010], // no channel
      ['channel=&count=10', 40010],
      ['channel=%5Bmeta%5Dx&count=10', 40010], // "[meta]x"
      ['channel=a%0Ab&count=10', 40010], // control character
      [`channel=${'c'.repeat(1025)}&count=10`, 40010],
      ['channel=c', 40003], // no count
      ['channel=c&count=0', 40003],
      ['channel=c&count=1000001', 40003],
      ['channel=c&count=1.5', 40003],
      ['channel=c&count=-1', 40003],
      ['channel=c&count=abc', 40003],
      ['channel=c&count=1&size=65537', 40003],
      ['channel=c&count=1&size=65536', 40003], // with the name "0" one byte over maxMessageSize
      ['channel=c&count=10&size=10000&perFrame=10', 40003], // 100 KB per ProtocolMessage > maxMessageSize
      ['channel=c&count=1&perFrame=0', 40003],
      ['channel=c&count=1&perFrame=1001', 40003],
      ['channel=c&count=1&encoding=xml', 40003],
      ['channel=c&count=1&size=4&encoding=json', 40003],
    ];
    for (const [q, code] of cases) {
      const r = await post(`channels/blast?${q}`);
      expect({ q, status: r.status, code: (r.body.error as { code: number })?.code }).toEqual({ q, status: 400, code });
      expect(r.body.error).toMatchObject({ statusCode: 400, message: expect.any(String) });
    }
    // the largest payload that fits: 65535 bytes + the name "0"
    expect((await post(`channels/blast?channel=${chan('max')}&count=1&size=65535`)).body).toMatchObject({
      published: 1,
    });
    const get = await fetch(`${lab.server.url}/lab/channels/blast?channel=c&count=1&${keyQ()}`);
    expect(get.status).toBe(405);
    const noKey = await fetch(`${lab.server.url}/lab/channels/blast?channel=c&count=1`, { method: 'POST' });
    expect(noKey.status).toBe(401);
  });
});

describe('POST /lab/connections/discard-next', () => {
  test('drops exactly n MESSAGE frames to the chosen connection only; ACK, HEARTBEAT and ATTACHED still arrive; another subscriber gets all', async () => {
    const ch = chan('discard');
    const a = await subscriber('json', ch); // publishes too (echo on), and is the faulty one
    const b = await subscriber('msgpack', ch);
    const before = await metrics();
    const r = await post(`connections/discard-next?connectionId=${a.id}&n=3`);
    expect(r).toEqual({ status: 200, body: { affected: 1 } });
    const conns = (await lab.lab('GET', 'connections')) as Array<{ connectionId: string; discardNext: number }>;
    expect(conns.find((c) => c.connectionId === a.id)!.discardNext).toBe(3);
    expect(conns.find((c) => c.connectionId === b.id)!.discardNext).toBe(0);
    for (let i = 0; i < 10; i++)
      a.raw.send({ action: 15, channel: ch, msgSerial: i, messages: [{ name: String(i), data: 'd' }] });
    a.raw.send({ action: 0, id: 'hb' });
    const other = chan('discard-other');
    a.raw.send({ action: 10, channel: other });
    await a.raw.next((f) => f.action === 0 && f.id === 'hb');
    await a.raw.next((f) => f.action === 11 && f.channel === other);
    await waitFor(() => names(b.raw).length === 10 && names(a.raw).length === 7, 3000, 'deliveries');
    const acked = a.raw.frames.filter((f) => f.action === 1).reduce((n, f) => n + (f.count as number), 0);
    expect(acked).toBe(10);
    await new Promise((res) => setTimeout(res, 50));
    expect(names(a.raw)).toEqual(range(3, 10));
    expect(names(b.raw)).toEqual(range(0, 10));
    const after = await metrics();
    expect(after.framesDiscarded - before.framesDiscarded).toBe(3);
    expect(after.messagesDiscarded - before.messagesDiscarded).toBe(3);
    const conns2 = (await lab.lab('GET', 'connections')) as Array<{ connectionId: string; discardNext: number }>;
    expect(conns2.find((c) => c.connectionId === a.id)!.discardNext).toBe(0);
  });

  test('channel filter: only frames of that channel are dropped; a blast frame of 10 counts as one; n=0 clears', async () => {
    const ch1 = chan('keep');
    const ch2 = chan('lose');
    const a = await subscriber('msgpack', ch1, ch2);
    const b = await subscriber('json', ch2);
    expect((await post(`connections/discard-next?connectionId=${a.id}&n=2&channel=${ch2}`)).body).toEqual({
      affected: 1,
    });
    await post(`channels/blast?channel=${ch1}&count=50&size=3&perFrame=10`);
    await post(`channels/blast?channel=${ch2}&count=50&size=3&perFrame=10`);
    await waitFor(() => names(a.raw).length === 80 && names(b.raw, ch2).length === 50, 3000, 'deliveries');
    expect(names(a.raw, ch1)).toEqual(range(0, 50));
    expect(names(a.raw, ch2)).toEqual(range(20, 50)); // the first two frames (0..9, 10..19) lost
    expect(names(b.raw, ch2)).toEqual(range(0, 50));
    // n=0 clears a pending fault
    await post(`connections/discard-next?connectionId=${a.id}&n=5`);
    expect((await post(`connections/discard-next?connectionId=${a.id}&n=0`)).body).toEqual({ affected: 1 });
    await post(`channels/blast?channel=${ch1}&count=5&size=3`);
    await waitFor(() => names(a.raw, ch1).length === 55, 3000, 'after clear');
  });

  test('connectionId=all (default) applies to every connection; bad n → 400', async () => {
    const ch = chan('discard-all');
    const a = await subscriber('json', ch);
    const b = await subscriber('msgpack', ch);
    const r = await post(`connections/discard-next?n=1&channel=${ch}`);
    expect(r.body.affected).toBeGreaterThanOrEqual(2);
    await post(`channels/blast?channel=${ch}&count=3&size=1`);
    for (const { raw } of [a, b]) await waitFor(() => names(raw).length === 2, 3000, 'two each');
    expect(names(a.raw)).toEqual([1, 2]);
    expect(names(b.raw)).toEqual([1, 2]);
    for (const q of ['', 'n=-1', 'n=x', 'n=1000001', 'n=1&channel=']) {
      const bad = await post(`connections/discard-next?${q}`);
      expect(bad.status).toBe(400);
      expect([40003, 40010]).toContain((bad.body.error as { code: number }).code);
    }
  });

  test('an ably-js subscriber misses exactly the discarded messages (the lab can detect the loss)', async () => {
    const ch = chan('discard-ablyjs');
    const c = lab.realtime({ useBinaryProtocol: true });
    const got: number[] = [];
    await c.channels.get(ch).subscribe((m) => void got.push(Number(m.name)));
    await post(`connections/discard-next?connectionId=${c.connection.id!}&n=1`);
    await post(`channels/blast?channel=${ch}&count=100&size=10&perFrame=10`);
    await waitFor(() => got.length >= 90, 5000, 'ably-js deliveries');
    await new Promise((res) => setTimeout(res, 50));
    expect(got).toEqual(range(10, 100));
    expect(c.connection.state).toBe('connected');
  });
});

test('GET /lab/metrics?gc=true on a server whose node has no gc() exposed: 400 40003 saying how to expose it; gc=other: 40003', async () => {
  const auth = { authorization: `Basic ${Buffer.from(lab.server.key).toString('base64')}` };
  const exposed = typeof (globalThis as { gc?: unknown }).gc === 'function';
  const r = await fetch(`${lab.server.url}/lab/metrics?gc=true`, { headers: auth });
  if (exposed) expect(r.status).toBe(200);
  else {
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: { code: number; message: string } };
    expect(body.error.code).toBe(40003);
    expect(body.error.message).toMatch(/--expose-gc/);
  }
  const bad = await fetch(`${lab.server.url}/lab/metrics?gc=yes`, { headers: auth });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: { code: number } }).error.code).toBe(40003);
});
