import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Ably, connected, Lab, waitFor } from './test/helpers.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await Lab.start();
});
afterAll(() => lab.close());

for (const useBinaryProtocol of [true, false]) {
  const fmt = useBinaryProtocol ? 'msgpack' : 'json';
  describe(`realtime with ably-js (${fmt})`, () => {
    test('rtn4 connect: CONNECTED with connectionDetails', async () => {
      const c = lab.realtime({ useBinaryProtocol, clientId: 'alice' });
      await connected(c);
      expect(c.connection.id).toMatch(/^[\w-]+$/);
      expect(c.connection.key).toContain(c.connection.id!);
      expect(c.auth.clientId).toBe('alice');
      const details = (c.connection as unknown as { connectionManager: { connectionDetails: Record<string, unknown> } })
        .connectionManager.connectionDetails;
      expect(details).toMatchObject({
        maxIdleInterval: 15000,
        connectionStateTtl: 120000,
        maxMessageSize: 65536,
        clientId: 'alice',
      });
      expect(typeof details.serverId).toBe('string');
      const rtt = await c.connection.ping();
      expect(rtt).toBeGreaterThanOrEqual(0);
      c.close();
      await c.connection.once('closed');
    });

    test('rtl4 attach, rtl6 publish→ACK serials, rtl7 subscribe receives with stamped fields', async () => {
      const pub = lab.realtime({ useBinaryProtocol, clientId: 'pub' });
      const sub = lab.realtime({ useBinaryProtocol });
      const name = `chat-${fmt}`;
      const sch = sub.channels.get(name);
      const got: Ably.Message[] = [];
      await sch.subscribe((m) => void got.push(m));
      expect(sch.state).toBe('attached');
      expect(sch.modes).toEqual(expect.arrayContaining(['publish', 'subscribe']));
      const pch = pub.channels.get(name);
      const r = await pch.publish('greeting', 'hello');
      expect(r?.serials).toHaveLength(1);
      expect(typeof r?.serials[0]).toBe('string');
      await pch.publish([
        { name: 'a', data: { x: 1 } },
        { name: 'b', data: new Uint8Array([1, 2, 3]) },
      ]);
      await waitFor(() => got.length === 3, 5000, 'three messages');
      expect(got[0]).toMatchObject({
        name: 'greeting',
        data: 'hello',
        clientId: 'pub',
        connectionId: pub.connection.id,
        serial: r!.serials[0],
      });
      expect(typeof got[0]!.timestamp).toBe('number');
      expect(got[0]!.id).toBe(`${pub.connection.id}:0:0`);
      expect(got[1]!.data).toEqual({ x: 1 });
      expect(new Uint8Array(got[2]!.data as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]));
      expect(got[2]!.encoding ?? null).toBeNull();
      await sch.detach();
      expect(sch.state).toBe('detached');
      await pch.publish('after-detach', 'x');
      await new Promise((r) => setTimeout(r, 100));
      expect(got).toHaveLength(3);
    });

    test('rtl6 publish on a never-attached channel is ACKed', async () => {
      const c = lab.realtime({ useBinaryProtocol });
      const ch = c.channels.get(`unattached-${fmt}`);
      const r = await ch.publish('x', 'y');
      expect(r?.serials).toHaveLength(1);
      expect(ch.state).toBe('initialized');
    });

    test('rtn2b echoMessages:false skips own messages, others still get them', async () => {
      const a = lab.realtime({ useBinaryProtocol, echoMessages: false });
      const b = lab.realtime({ useBinaryProtocol });
      const name = `echo-${fmt}`;
      const gotA: string[] = [];
      const gotB: string[] = [];
      await a.channels.get(name).subscribe((m) => void gotA.push(m.data as string));
      await b.channels.get(name).subscribe((m) => void gotB.push(m.data as string));
      await a.channels.get(name).publish('n', 'from-a');
      await b.channels.get(name).publish('n', 'from-b');
      await waitFor(() => gotB.length === 2 && gotA.length === 1, 5000, 'echo deliveries');
      await new Promise((r) => setTimeout(r, 100));
      expect(gotA).toEqual(['from-b']);
      expect(gotB).toEqual(['from-a', 'from-b']);
    });
  });
}

test('payload transcoding: msgpack publisher → JSON subscriber and back (binary, json, string)', async () => {
  const mp = lab.realtime({ useBinaryProtocol: true });
  const js = lab.realtime({ useBinaryProtocol: false });
  const name = 'transcode';
  const atJs: Ably.Message[] = [];
  const atMp: Ably.Message[] = [];
  await js.channels.get(name).subscribe((m) => void atJs.push(m));
  await mp.channels.get(name).subscribe((m) => void atMp.push(m));
  const bytes = new Uint8Array([0, 255, 7, 128]);
  await mp.channels.get(name).publish([
    { name: 'bin', data: bytes },
    { name: 'obj', data: { a: [1, 'b'] } },
    { name: 'str', data: 'ü' },
  ]);
  await js.channels.get(name).publish('bin2', bytes);
  await waitFor(() => atJs.length === 4 && atMp.length === 4, 5000, 'both sides');
  for (const got of [atJs, atMp]) {
    expect(new Uint8Array(got[0]!.data as ArrayBuffer)).toEqual(bytes);
    expect(got[1]!.data).toEqual({ a: [1, 'b'] });
    expect(got[2]!.data).toBe('ü');
    expect(new Uint8Array(got[3]!.data as ArrayBuffer)).toEqual(bytes);
  }
});

test('rtn12 close: CLOSE→CLOSED, the connection key no longer resumes', async () => {
  const c = lab.realtime();
  await connected(c);
  const key = c.connection.key!;
  c.close();
  await c.connection.once('closed');
  const raw = await lab.raw(`key=${encodeURIComponent(lab.server.key)}&resume=${encodeURIComponent(key)}`);
  const f = await raw.next((x) => x.action === 4);
  expect((f.error as { code: number }).code).toBe(80008);
});

test('rtn13 heartbeat: HEARTBEAT echoed with its id', async () => {
  const raw = await lab.raw(`key=${encodeURIComponent(lab.server.key)}`);
  await raw.next((f) => f.action === 4);
  raw.send({ action: 0, id: 'ping-1' });
  const hb = await raw.next((f) => f.action === 0 && f.id === 'ping-1');
  expect(hb).toEqual({ action: 0, id: 'ping-1' });
});

test('rtn23b idle connections get HEARTBEAT frames every maxIdleInterval/2; ably-js stays connected past its idle timeout', async () => {
  const fast = await Lab.start({ limits: { maxIdleInterval: 300 } });
  try {
    const raw = await fast.raw(`key=${encodeURIComponent(fast.server.key)}&heartbeats=true`);
    const conn = await raw.next((f) => f.action === 4);
    expect((conn.connectionDetails as { maxIdleInterval: number }).maxIdleInterval).toBe(300);
    const t0 = Date.now();
    await raw.next((f) => f.action === 0 && f.id === undefined, 2000);
    expect(Date.now() - t0).toBeLessThan(1000);
    const c = fast.realtime({ realtimeRequestTimeout: 500 } as Ably.ClientOptions);
    await connected(c);
    const id = c.connection.id;
    let left = false;
    c.connection.on('disconnected', () => (left = true));
    await new Promise((r) => setTimeout(r, 1500)); // > maxIdleInterval + realtimeRequestTimeout
    expect(left).toBe(false);
    expect(c.connection.id).toBe(id);
  } finally {
    await fast.close();
  }
});
