import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Ably, connected, Lab, waitFor } from './test/helpers.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await Lab.start();
});
afterAll(() => lab.close());

/** Publishes `n` numbered messages from `pub` while a drop happens mid-stream; checks exactly-once order at `sub`. */
async function streamAcrossDrop(useBinaryProtocol: boolean, drop: () => Promise<unknown>) {
  const name = `resume-${useBinaryProtocol}-${Math.random()}`;
  const pub = lab.realtime({ useBinaryProtocol });
  const sub = lab.realtime({ useBinaryProtocol });
  await connected(sub);
  const idBefore = sub.connection.id;
  const got: number[] = [];
  const sch = sub.channels.get(name);
  await sch.subscribe((m) => void got.push(Number(m.data)));
  const pch = pub.channels.get(name);
  const n = 300;
  const acks: Promise<unknown>[] = [];
  let resumedFlag: boolean | undefined;
  sch.on('attached', (sc) => (resumedFlag = sc.resumed));
  for (let i = 0; i < n; i++) {
    acks.push(pch.publish('n', String(i)));
    if (i === 100) {
      await waitFor(() => got.length >= 50, 5000, 'some delivered');
      await drop();
    }
  }
  await Promise.all(acks);
  await waitFor(() => got.length >= n, 10000, `all ${n} messages (got ${got.length})`);
  await new Promise((r) => setTimeout(r, 100));
  expect(got).toEqual(Array.from({ length: n }, (_, i) => i));
  expect(sub.connection.id).toBe(idBefore);
  expect(resumedFlag).toBe(true);
  return { pub, sub };
}

for (const useBinaryProtocol of [true, false]) {
  test(
    `rtn15 forced drop (all connections, hard) → resumed, same connectionId, ` +
      `none lost or duplicated (${useBinaryProtocol ? 'msgpack' : 'json'})`,
    async () => {
      await streamAcrossDrop(useBinaryProtocol, () => lab.lab('POST', 'connections/drop?connectionId=all'));
    },
  );
}

test('rtn15h DISCONNECTED from the server → client resumes (publisher pending messages re-sent, de-duplicated)', async () => {
  const { pub } = await streamAcrossDrop(true, () =>
    lab.lab('POST', 'connections/drop?connectionId=all&disconnected=true'),
  );
  expect(pub.connection.errorReason?.code ?? 0).not.toBe(80008);
});

test('rtn15c7 resume with an unknown key → new connectionId and error 80008; malformed key → 80018', async () => {
  const raw = await lab.raw(`key=${encodeURIComponent(lab.server.key)}&resume=${encodeURIComponent('abc!def')}`);
  const f = await raw.next((x) => x.action === 4);
  expect(f.error).toMatchObject({ code: 80008, statusCode: 400 });
  const raw2 = await lab.raw(`key=${encodeURIComponent(lab.server.key)}&resume=garbage`);
  const f2 = await raw2.next((x) => x.action === 4);
  expect(f2.error).toMatchObject({ code: 80018, statusCode: 400 });
});

test('rtn16 recover: a new client instance recovers the connection and replays what it missed', async () => {
  const name = 'recover-ch';
  // The "previous page": a raw client that attaches, sees one message, then vanishes without CLOSE.
  const old = await lab.raw(`key=${encodeURIComponent(lab.server.key)}`);
  const conn = await old.next((f) => f.action === 4);
  old.send({ action: 10, channel: name });
  const attached = await old.next((f) => f.action === 11);
  const pub = lab.realtime();
  await pub.channels.get(name).publish('n', 'seen');
  const seen = await old.next((f) => f.action === 15);
  old.ws.terminate();
  await pub.channels.get(name).publish('n', 'while-away');
  const recover = JSON.stringify({
    connectionKey: (conn.connectionDetails as { connectionKey: string }).connectionKey,
    msgSerial: 0,
    channelSerials: { [name]: seen.channelSerial },
  });
  expect(attached.channelSerial).not.toBe(seen.channelSerial);
  const b = lab.realtime({ recover });
  const got: string[] = [];
  await connected(b);
  expect(b.connection.id).toBe(conn.connectionId);
  expect(b.connection.errorReason).toBeFalsy();
  await b.channels.get(name).subscribe((m) => void got.push(m.data as string));
  await waitFor(() => got.includes('while-away'), 5000, 'replayed message');
  await new Promise((r) => setTimeout(r, 50));
  expect(got).toEqual(['while-away']);
});

test('lab delay and pause: frames held then delivered in order', async () => {
  const sub = lab.realtime();
  const pub = lab.realtime();
  const name = 'delay-ch';
  const got: string[] = [];
  await sub.channels.get(name).subscribe((m) => void got.push(m.data as string));
  await connected(pub);
  await lab.lab('POST', `connections/delay?connectionId=${sub.connection.id}&ms=300`);
  const t0 = Date.now();
  await pub.channels.get(name).publish('n', 'a');
  await waitFor(() => got.length === 1, 3000);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  await lab.lab('POST', `connections/delay?connectionId=${sub.connection.id}&ms=0`);
  await lab.lab('POST', `connections/pause?connectionId=${sub.connection.id}`);
  await pub.channels.get(name).publish('n', 'b');
  await pub.channels.get(name).publish('n', 'c');
  await new Promise((r) => setTimeout(r, 200));
  expect(got).toEqual(['a']);
  await lab.lab('POST', `connections/resume?connectionId=${sub.connection.id}`);
  await waitFor(() => got.length === 3, 3000);
  expect(got).toEqual(['a', 'b', 'c']);
});

test('lab metrics: counters, CPU and event-loop delay; key-protected', async () => {
  const m = (await lab.lab('GET', 'metrics')) as Record<string, unknown>;
  expect(m).toMatchObject({
    connections: expect.any(Number),
    channels: expect.any(Number),
    messagesIn: expect.any(Number),
    messagesOut: expect.any(Number),
    bytesIn: expect.any(Number),
    bytesOut: expect.any(Number),
  });
  expect((m.messagesIn as number) > 0).toBe(true);
  expect((m.cpu as { userMs: number }).userMs).toBeGreaterThan(0);
  expect(m.eventLoopDelayMs).toMatchObject({ p99: expect.any(Number), max: expect.any(Number) });
  const denied = await fetch(`${lab.server.url}/lab/metrics`);
  expect(denied.status).toBe(401);
  const conns = (await lab.lab('GET', 'connections')) as unknown[];
  expect(Array.isArray(conns)).toBe(true);
});

test('rtn22 token expiry: server sends DISCONNECTED 40142, ably-js renews via authCallback and resumes', async () => {
  const keyRest = lab.rest();
  let calls = 0;
  const c = lab.realtime({
    authCallback: (_p, cb) => {
      calls++;
      keyRest.auth.requestToken({ ttl: calls === 1 ? 1500 : 60000 }).then(
        (td) => cb(null, td),
        (e: Ably.ErrorInfo) => cb(e, null),
      );
    },
  });
  await connected(c);
  const id = c.connection.id;
  await waitFor(() => calls >= 2, 10000, 'token renewal');
  await connected(c);
  expect(c.connection.id).toBe(id);
});

test('lab delay then CLOSE: every held frame (ping echo, CLOSED) is delivered before the socket closes', async () => {
  const raw = await lab.raw(`key=${encodeURIComponent(lab.server.key)}`);
  const conn = await raw.next((f) => f.action === 4);
  await lab.lab('POST', `connections/delay?connectionId=${conn.connectionId as string}&ms=150`);
  raw.send({ action: 0, id: 'p1' });
  raw.send({ action: 0, id: 'p2' });
  raw.send({ action: 7 });
  expect(await raw.closed(3000)).toBe(1000);
  expect(raw.frames.slice(1).map((f) => [f.action, f.id])).toEqual([
    [0, 'p1'],
    [0, 'p2'],
    [8, undefined],
  ]);
});
