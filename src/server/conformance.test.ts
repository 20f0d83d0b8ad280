import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Ably, connected, Lab, waitFor } from './test/helpers.ts';

/** Behaviours an unmodified ably-js relies on, checked with the real `ably` package. */
let lab: Lab;
beforeAll(async () => {
  lab = await Lab.start();
});
afterAll(() => lab.close());

describe('RTL10b history({untilAttach: true}) stops at the attach point (from_serial)', () => {
  test('messages published after the attach are not returned; paging keeps the bound', async () => {
    const rest = lab.rest();
    const pub = rest.channels.get('until');
    for (const n of ['b1', 'b2', 'b3']) await pub.publish(n, n);
    const rt = lab.realtime();
    const ch = rt.channels.get('until');
    await ch.attach();
    for (const n of ['a1', 'a2']) await pub.publish(n, n);
    const page = await ch.history({ untilAttach: true, limit: 2 });
    expect(page.items.map((m) => m.name)).toEqual(['b3', 'b2']);
    const next = await page.next();
    expect(next?.items.map((m) => m.name)).toEqual(['b1']);
    const all = await ch.history();
    expect(all.items.map((m) => m.name)).toEqual(['a2', 'a1', 'b3', 'b2', 'b1']);
  });

  test('a malformed from_serial is 400 40003', async () => {
    const r = await fetch(`${lab.server.url}/channels/until/messages?from_serial=nonsense`, {
      headers: { authorization: `Basic ${Buffer.from(lab.server.key).toString('base64')}` },
    });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { code: number } }).error.code).toBe(40003);
  });
});

describe('RTN22 re-auth to a token with a narrower capability', () => {
  test('channels no longer permitted fail with 40160; permitted ones stay attached and keep receiving', async () => {
    const rest = lab.rest();
    const wide = await rest.auth.requestToken({ capability: { '*': ['*'] } });
    const narrow = await rest.auth.requestToken({ capability: { keep: ['*'] } });
    let next = wide;
    const rt = lab.realtime({ authCallback: (_p, cb) => cb(null, next) });
    const keep = rt.channels.get('keep');
    const lose = rt.channels.get('lose');
    const got: string[] = [];
    await keep.subscribe((m) => void got.push(m.name!));
    await lose.attach();
    next = narrow;
    await rt.auth.authorize();
    await lose.whenState('failed');
    expect(lose.errorReason?.code).toBe(40160);
    expect(keep.state).toBe('attached');
    await rest.channels.get('keep').publish('after-reauth', 'x');
    await waitFor(() => got.includes('after-reauth'), 3000, 'delivery on the permitted channel');
    expect(rt.connection.state).toBe('connected');
  });
});

describe('RTL4l/RTL4m channel modes are honoured, whether asked as flags or as params.modes', () => {
  test('params {modes: "subscribe"}: ATTACHED carries only SUBSCRIBE, and a publish on it is NACKed 40160', async () => {
    const rt = lab.realtime();
    const ch = rt.channels.get('modes-param', { params: { modes: 'subscribe' } });
    const got: string[] = [];
    await ch.subscribe((m) => void got.push(m.name!));
    expect(ch.modes).toEqual(['subscribe']);
    await expect(ch.publish('nope', 'x')).rejects.toMatchObject({ code: 40160 });
    await lab.rest().channels.get('modes-param').publish('yes', 'x');
    await waitFor(() => got.includes('yes'), 3000, 'delivery to a subscribe-only attachment');
    expect(got).toEqual(['yes']);
  });

  test('modes as flags: PUBLISH only receives nothing and may publish', async () => {
    const rt = lab.realtime();
    const pubOnly = rt.channels.get('modes-flags', { modes: ['PUBLISH'] });
    await pubOnly.attach();
    expect(pubOnly.modes).toEqual(['publish']);
    const got: string[] = [];
    pubOnly.subscribe((m) => void got.push(m.name!)).catch(() => {});
    const other = lab.realtime();
    const seen: string[] = [];
    await other.channels.get('modes-flags').subscribe((m) => void seen.push(m.name!));
    await pubOnly.publish('from-publisher', 'x');
    await waitFor(() => seen.includes('from-publisher'), 3000, 'delivery to the other client');
    expect(got).toEqual([]);
    await connected(rt);
  });
});

describe('RSA8/TK2b token requests: intersection and malformed capabilities, with ably-js', () => {
  test('a key limited to chat:* asking for {"*":["subscribe"]} gets {"chat:*":["subscribe"]}; a malformed capability is a 400', async () => {
    const r = await fetch(`${lab.server.url}/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ keys: [{ capability: '{"chat:*":["*"]}' }] }),
    });
    const app = (await r.json()) as { keys: Array<{ keyStr: string }> };
    const rest = lab.rest({ key: app.keys[0]!.keyStr });
    const td = await rest.auth.requestToken({ capability: { '*': ['subscribe'] } });
    expect(td.capability).toBe('{"chat:*":["subscribe"]}');
    await expect(rest.auth.requestToken({ capability: { channel0: [] } })).rejects.toMatchObject({ statusCode: 400 });
    await expect(rest.auth.requestToken({ capability: { x: ['publish_'] } as never })).rejects.toMatchObject({
      statusCode: 400,
    });
  });
});

describe('message update/delete/append (TM5 actions other than message.create) are refused, not published', () => {
  test('updateMessage and deleteMessage over realtime are NACKed 40000; subscribers and history see only the original', async () => {
    const rt = lab.realtime();
    const ch = rt.channels.get('mutable');
    const got: Ably.InboundMessage[] = [];
    await ch.subscribe((m) => void got.push(m));
    await ch.publish('orig', 'v1');
    await waitFor(() => got.length === 1, 3000, 'the original');
    await expect(ch.updateMessage({ ...got[0]!, data: 'v2' } as Ably.Message)).rejects.toMatchObject({ code: 40000 });
    await expect(ch.deleteMessage(got[0]! as Ably.Message)).rejects.toMatchObject({ code: 40000 });
    await ch.publish('after', 'v3');
    await waitFor(() => got.length === 2, 3000, 'the next publish');
    expect(got.map((m) => m.name)).toEqual(['orig', 'after']);
    const page = await lab.rest().channels.get('mutable').history();
    expect(page.items.map((m) => m.data)).toEqual(['v3', 'v1']);
  });
});

describe('channel param rewind replays a backlog after ATTACHED (HAS_BACKLOG)', () => {
  test('rewind=2 (ably-js) gets the last two messages, in order, then live ones', async () => {
    const pub = lab.rest().channels.get('rewind-n');
    for (let i = 1; i <= 5; i++) await pub.publish(`m${i}`, String(i));
    const ch = lab.realtime().channels.get('rewind-n', { params: { rewind: '2' } });
    const got: string[] = [];
    await ch.subscribe((m) => void got.push(m.name!));
    await waitFor(() => got.length === 2, 3000, 'the backlog');
    await pub.publish('live', '0');
    await waitFor(() => got.length === 3, 3000, 'the live message');
    expect(got).toEqual(['m4', 'm5', 'live']);
  });

  test('rewind by time ("1m") replays what is that recent; ATTACHED carries HAS_BACKLOG only when there is one; a bad value is 40003', async () => {
    const pub = lab.rest().channels.get('rewind-t');
    for (let i = 1; i <= 3; i++) await pub.publish(`t${i}`, String(i));
    const raw = await lab.raw(`key=${encodeURIComponent(lab.server.key)}`);
    await raw.next((f) => f.action === 4);
    raw.send({ action: 10, channel: 'rewind-t', params: { rewind: '1m' } });
    const attached = await raw.next((f) => f.action === 11);
    expect((attached.flags as number) & 2).toBe(2); // HAS_BACKLOG (TR3b)
    await raw.next(() => raw.frames.filter((f) => f.action === 15).length === 3);
    expect(
      raw.frames.filter((f) => f.action === 15).map((f) => (f.messages as Array<{ name: string }>)[0]!.name),
    ).toEqual(['t1', 't2', 't3']);
    raw.send({ action: 10, channel: 'rewind-empty', params: { rewind: '5' } });
    const empty = await raw.next((f) => f.action === 11 && f.channel === 'rewind-empty');
    expect((empty.flags as number) & 2).toBe(0);
    raw.send({ action: 10, channel: 'rewind-bad', params: { rewind: 'soon' } });
    expect(await raw.next((f) => f.action === 9 && f.channel === 'rewind-bad')).toMatchObject({
      error: { code: 40003 },
    });
  });
});

describe('TM2h/RSL1m REST publish with a connectionKey is attributed to that realtime connection', () => {
  test("subscribers see the connection's connectionId; echo=false keeps it from the connection itself; an unknown key is 40006", async () => {
    const owner = lab.realtime({ echoMessages: false });
    await connected(owner);
    const ownGot: string[] = [];
    await owner.channels.get('on-behalf').subscribe((m) => void ownGot.push(m.name!));
    const other = lab.realtime();
    const got: Ably.InboundMessage[] = [];
    await other.channels.get('on-behalf').subscribe((m) => void got.push(m));
    const rest = lab.rest().channels.get('on-behalf');
    await rest.publish({ name: 'behalf', data: 'x', connectionKey: owner.connection.key } as Ably.Message);
    await waitFor(() => got.length === 1, 3000, 'delivery');
    expect(got[0]!.connectionId).toBe(owner.connection.id);
    await rest.publish({ name: 'plain', data: 'x' });
    await waitFor(() => got.length === 2 && ownGot.length === 1, 3000, 'the plain publish');
    expect(ownGot).toEqual(['plain']);
    await expect(
      rest.publish({ name: 'ghost', data: 'x', connectionKey: 'nope!nope' } as Ably.Message),
    ).rejects.toMatchObject({ code: 40006, statusCode: 400 });
  });
});

describe('RSC22 batch publish answers the BatchResult shape ably-js reads (protocol v2+)', () => {
  for (const useBinaryProtocol of [false, true]) {
    test(`single spec and array of specs, ${useBinaryProtocol ? 'msgpack' : 'JSON'}`, async () => {
      const rest = lab.rest({ useBinaryProtocol });
      const one = await rest.batchPublish({ channels: ['batch-a', ':bad'], messages: [{ name: 'm', data: 'x' }] });
      expect(one).toMatchObject({ successCount: 1, failureCount: 1 });
      expect(one.results[0]).toMatchObject({
        channel: 'batch-a',
        messageId: expect.any(String),
        serials: [expect.any(String)],
      });
      expect(one.results[1]).toMatchObject({ channel: ':bad', error: { code: 40010, statusCode: 400 } });
      const many = await rest.batchPublish([
        { channels: ['batch-b'], messages: [{ name: 'm1' }, { name: 'm2' }] },
        { channels: ['batch-c'], messages: [{ name: 'm3' }] },
      ]);
      expect(many.map((r) => r.successCount)).toEqual([1, 1]);
      expect((many[0]!.results[0] as { serials: string[] }).serials).toHaveLength(2);
    });
  }
});

describe('connect errors ably-js expects', () => {
  test('RTN16 a recovery key the server cannot recover: CONNECTED with a new connection and 80018', async () => {
    const recover = JSON.stringify({ connectionKey: 'abcdef!nosuchconn', msgSerial: 0, channelSerials: {} });
    const rt = lab.realtime({ recover });
    await connected(rt);
    expect(rt.connection.errorReason?.code).toBe(80018);
    expect(rt.connection.id).not.toBe('nosuchconn');
  });

  // ably-js test/realtime/failure.test.js invalid_cred_failure (RTN14a) expects 40101 since Ably's
  // realtime changed it (https://github.com/ably/ably-js/pull/1935; 40400 before).
  test('RTN14a a key of an unknown app fails the connection with 40101 (ably-js realtime/failure invalid_cred_failure)', async () => {
    const rt = lab.realtime({ key: 'this.is:wrong' });
    const change = await rt.connection.once('failed');
    expect(change.reason).toMatchObject({ code: 40101, statusCode: 401 });
    expect(rt.connection.errorReason).toMatchObject({ code: 40101, statusCode: 401 });
  });

  // What Ably's REST answers for a token of an unknown app (ably-js rest/auth "JWT request with
  // invalid key"); for a Basic key of an unknown app it is not verified (docs/protocol-coverage.md).
  test('REST with a key of an unknown app still answers 404 40400', async () => {
    await expect(lab.rest({ key: 'this.is:wrong' }).channels.get('x').publish('a', 'b')).rejects.toMatchObject({
      code: 40400,
      statusCode: 404,
    });
  });
});
