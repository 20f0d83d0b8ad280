import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encode, decode } from '@msgpack/msgpack';
import { type Ably, connected, Lab, waitFor } from './test/helpers.ts';

let lab: Lab;
let basic: string;
beforeAll(async () => {
  lab = await Lab.start();
  basic = `Basic ${Buffer.from(lab.server.key).toString('base64')}`;
});
afterAll(() => lab.close());

for (const useBinaryProtocol of [true, false]) {
  const fmt = useBinaryProtocol ? 'msgpack' : 'json';
  describe(`REST with ably-js (${fmt})`, () => {
    test('rsc16 time', async () => {
      const t = await lab.rest({ useBinaryProtocol }).time();
      expect(Math.abs(t - Date.now())).toBeLessThan(2000);
    });

    test('rsl1 publish single and batch → serials; realtime subscriber receives them', async () => {
      const rest = lab.rest({ useBinaryProtocol });
      const rt = lab.realtime({ useBinaryProtocol });
      const name = `rest-pub-${fmt}/ü`;
      const got: Ably.Message[] = [];
      await rt.channels.get(name).subscribe((m) => void got.push(m));
      const ch = rest.channels.get(name);
      const r1 = await ch.publish('one', { k: 1 });
      expect(r1.serials).toHaveLength(1);
      const r2 = await ch.publish([
        { name: 'two', data: 'x' },
        { name: 'three', data: new Uint8Array([9]) },
      ]);
      expect(r2.serials).toHaveLength(2);
      await waitFor(() => got.length === 3, 5000, 'rest messages via realtime');
      expect(got.map((m) => m.name)).toEqual(['one', 'two', 'three']);
      expect(got[0]!.data).toEqual({ k: 1 });
      expect(new Uint8Array(got[2]!.data as ArrayBuffer)).toEqual(new Uint8Array([9]));
      expect(got[1]!.serial).toBe(r2.serials[0]);
    });

    test('rsl2 history: backwards/forwards, limit, Link pagination to the end', async () => {
      const rest = lab.rest({ useBinaryProtocol });
      const ch = rest.channels.get(`hist-${fmt}`);
      for (let i = 0; i < 25; i++) await ch.publish('m', String(i));
      let page = await ch.history({ limit: 10 });
      const seen: number[] = [];
      for (;;) {
        seen.push(...page.items.map((m) => Number(m.data)));
        if (!page.hasNext()) break;
        page = (await page.next())!;
      }
      expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i));
      const fwd = await ch.history({ direction: 'forwards', limit: 5 });
      expect(fwd.items.map((m) => m.data)).toEqual(['0', '1', '2', '3', '4']);
      expect(fwd.hasNext()).toBe(true);
      expect(fwd.items[0]).toMatchObject({
        name: 'm',
        id: expect.any(String),
        timestamp: expect.any(Number),
        serial: expect.any(String),
      });
    });

    test('rsl1k idempotent publish: same id twice is stored once', async () => {
      const rest = lab.rest({ useBinaryProtocol });
      const ch = rest.channels.get(`idem-${fmt}`);
      const a = await ch.publish({ id: 'fixed-id:0', name: 'x', data: '1' });
      const b = await ch.publish({ id: 'fixed-id:0', name: 'x', data: '1' });
      expect(b.serials).toEqual(a.serials);
      expect((await ch.history()).items).toHaveLength(1);
    });

    test('rsa8 requestToken with a signed TokenRequest, then token-auth REST and realtime', async () => {
      const keyRest = lab.rest({ useBinaryProtocol });
      const td = await keyRest.auth.requestToken({
        clientId: 'tok-user',
        capability: { 'tok:*': ['publish', 'subscribe', 'history'] },
      });
      expect(td.clientId).toBe('tok-user');
      expect(td.expires).toBeGreaterThan(Date.now());
      const tokRest = lab.rest({ useBinaryProtocol, token: td.token });
      const r = await tokRest.channels.get('tok:a').publish('n', 'd');
      expect(r.serials).toHaveLength(1);
      const h = await tokRest.channels.get('tok:a').history();
      expect(h.items[0]).toMatchObject({ clientId: 'tok-user', data: 'd' });
      await expect(tokRest.channels.get('other').publish('n', 'd')).rejects.toMatchObject({
        code: 40160,
        statusCode: 401,
      });
      const rt = lab.realtime({ useBinaryProtocol, token: td.token });
      await connected(rt);
      expect(rt.auth.clientId).toBe('tok-user');
      await expect(rt.channels.get('other').attach()).rejects.toMatchObject({ code: 40160 });
      const rr = await rt.channels.get('tok:b').publish('n', 'd');
      expect(rr?.serials).toHaveLength(1);
    });

    test('rsa4 useTokenAuth with key: ably-js signs token requests, server verifies the mac', async () => {
      const rt = lab.realtime({ useBinaryProtocol, useTokenAuth: true, clientId: 'signed' });
      await connected(rt);
      expect(rt.auth.clientId).toBe('signed');
      const got: unknown[] = [];
      await rt.channels.get('signed-ch').subscribe((m) => void got.push(m.data));
      await rt.channels.get('signed-ch').publish('n', 'ok');
      await waitFor(() => got.length === 1);
    });
  });
}

describe('REST wire details', () => {
  test('errors: exact body, Content-Type application/json, X-Ably-* headers; 40101 / 40400 / 40140', async () => {
    const wrong = await fetch(`${lab.server.url}/channels/x/messages`, {
      headers: { authorization: `Basic ${Buffer.from('labapp.root:nope').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toBe('application/json');
    expect(wrong.headers.get('x-ably-errorcode')).toBe('40101');
    expect(wrong.headers.get('x-ably-errormessage')).toMatch(/wrong key secret/);
    expect(await wrong.json()).toEqual({
      error: {
        message: 'Invalid credentials: wrong key secret',
        code: 40101,
        statusCode: 401,
        href: 'https://help.ably.io/error/40101',
      },
    });
    const unknown = await fetch(`${lab.server.url}/channels/x/messages`, {
      headers: { authorization: `Basic ${Buffer.from('nope.key:s').toString('base64')}` },
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: number } }).error.code).toBe(40400);
    const badTok = await fetch(`${lab.server.url}/channels/x/messages`, {
      headers: { authorization: `Bearer ${Buffer.from('abc.def').toString('base64')}` },
    });
    expect(badTok.headers.get('x-ably-errorcode')).toBe('40140');
    const rest = lab.rest({ key: 'labapp.root:wrong' });
    await expect(rest.channels.get('x').publish('a', 'b')).rejects.toMatchObject({ code: 40101, statusCode: 401 });
  });

  test('publish answers 201 {channel, messageId, serials} in the Accept format; accepts a single object', async () => {
    const r = await fetch(`${lab.server.url}/channels/${encodeURIComponent('a/b')}/messages`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-msgpack', accept: 'application/x-msgpack' },
      body: encode({ name: 'single', data: new Uint8Array([1, 2]) }),
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toBe('application/x-msgpack');
    const body = decode(new Uint8Array(await r.arrayBuffer())) as {
      channel: string;
      messageId: string;
      serials: string[];
    };
    expect(body.channel).toBe('a/b');
    expect(body.serials).toHaveLength(1);
    const h = await fetch(`${lab.server.url}/channels/${encodeURIComponent('a/b')}/messages`, {
      headers: { authorization: basic },
    });
    expect(await h.json()).toEqual([
      expect.objectContaining({ id: body.messageId, name: 'single', data: 'AQI=', encoding: 'base64' }),
    ]);
  });

  test('history Link header: one line per rel, ./messages? prefix', async () => {
    for (let i = 0; i < 3; i++) {
      await fetch(`${lab.server.url}/channels/links/messages`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/json' },
        body: JSON.stringify([{ data: String(i) }]),
      });
    }
    const r = await fetch(`${lab.server.url}/channels/links/messages?limit=2`, { headers: { authorization: basic } });
    const link = r.headers.get('link')!;
    expect(link).toMatch(/<\.\/messages\?[^>]*>; rel="first"/);
    expect(link).toMatch(/<\.\/messages\?[^>]*cursor=\d+[^>]*>; rel="next"/);
    const bad = await fetch(`${lab.server.url}/channels/links/messages?limit=5000`, {
      headers: { authorization: basic },
    });
    expect(bad.headers.get('x-ably-errorcode')).toBe('40003');
  });

  test('CORS: preflight echoes a loopback origin and the headers; responses expose Link and X-Ably-*', async () => {
    const pre = await fetch(`${lab.server.url}/channels/c/messages`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:1',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization, x-ably-version',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:1');
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    expect(pre.headers.get('access-control-allow-headers')).toBe('authorization, x-ably-version');
    const r = await fetch(`${lab.server.url}/time?rnd=123`, { headers: { origin: 'http://other:1' } });
    expect(r.headers.get('access-control-expose-headers')).toMatch(/Link, X-Ably-ErrorCode, X-Ably-ErrorMessage/);
    expect(r.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });

  test('unknown routes → 40400; oversized body → 40009 (413); malformed JSON body → 40001', async () => {
    const nf = await fetch(`${lab.server.url}/channels/x/nope`, { headers: { authorization: basic } });
    expect(nf.status).toBe(404);
    expect(nf.headers.get('x-ably-errorcode')).toBe('40400');
    const big = await fetch(`${lab.server.url}/channels/x/messages`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: 'x'.repeat(3 * 1024 * 1024),
    });
    expect(big.status).toBe(413);
    expect(big.headers.get('x-ably-errorcode')).toBe('40009');
    const bad = await fetch(`${lab.server.url}/channels/x/messages`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(bad.headers.get('x-ably-errorcode')).toBe('40001');
    const tooLarge = await lab
      .rest()
      .channels.get('x')
      .publish('n', 'y'.repeat(70000))
      .catch((e: Ably.ErrorInfo) => e);
    expect(tooLarge).toMatchObject({ code: 40009 });
  });
});

describe('more REST endpoints with ably-js', () => {
  test('batchPublish (POST /messages) to several channels; channel status (GET /channels/{name})', async () => {
    const rest = lab.rest();
    const r = await rest.batchPublish({ channels: ['batch-a', 'batch-b'], messages: [{ name: 'x', data: 'y' }] });
    expect(r).toMatchObject({ successCount: 2, failureCount: 0 });
    expect((await rest.channels.get('batch-b').history()).items.map((m) => m.data)).toEqual(['y']);
    const rt = lab.realtime();
    await rt.channels.get('batch-a').attach();
    const st = await rest.channels.get('batch-a').status();
    expect(st.channelId).toBe('batch-a');
    expect(st.status.isActive).toBe(true);
    expect(st.status.occupancy.metrics.subscribers).toBe(1);
  });

  test('rtn22 auth.authorize() on a connected token client sends AUTH; server answers with a new CONNECTED (same connection)', async () => {
    const keyRest = lab.rest();
    const c = lab.realtime({
      authCallback: (_p, cb) =>
        void keyRest.auth.requestToken({ clientId: 'reauth' }).then(
          (td) => cb(null, td),
          (e: Ably.ErrorInfo) => cb(e, null),
        ),
    });
    await connected(c);
    const id = c.connection.id;
    const key = c.connection.key;
    let updated = false;
    c.connection.on('update', () => (updated = true));
    const td = await c.auth.authorize();
    expect(td.clientId).toBe('reauth');
    await waitFor(() => updated || c.connection.key !== key, 3000, 'connection update');
    expect(c.connection.id).toBe(id);
    expect(c.connection.state).toBe('connected');
  });
});
