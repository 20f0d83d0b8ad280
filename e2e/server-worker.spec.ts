import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startServer, type ServerHandle } from '../src/server/index.ts';

/**
 * The local Ably server against the real ably-js browser bundle inside a Chromium *dedicated
 * worker* (JSON protocol by default there, XHR for REST). The server also serves the page and the
 * worker (staticDir), so everything is one origin, as in the lab.
 */

const WORKER = `
importScripts('/ably.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitFor(cond, ms, what) {
  const end = Date.now() + ms;
  while (!cond()) { if (Date.now() > end) throw new Error('timeout: ' + what); await sleep(5); }
}
self.onmessage = async (e) => {
  const { key } = e.data;
  const out = {};
  const opts = (extra = {}) => ({ key, endpoint: location.hostname, port: Number(location.port), tls: false,
    transports: ['web_socket'], disableConnectivityCheck: true, wsConnectivityCheckUrl: 'ws://' + location.host + '/ws-up',
    fallbackHosts: [], logLevel: 0, ...extra });
  const clients = [];
  const rt = (extra) => { const c = new Ably.Realtime(opts(extra)); clients.push(c); return c; };
  try {
    out.isWorker = typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope && typeof window === 'undefined';
    const pub = rt({ clientId: 'w-pub' });
    const sub = rt({ echoMessages: false });
    await pub.connection.whenState('connected');
    await sub.connection.whenState('connected');
    out.connected = [pub.connection.state, sub.connection.state];
    out.json = pub.options.useBinaryProtocol === false;
    const got = [];
    const sch = sub.channels.get('w-chan');
    await sch.subscribe((m) => got.push(m));
    out.attachedModes = sch.modes;
    const r = await pub.channels.get('w-chan').publish([
      { name: 's', data: 'hello' },
      { name: 'b', data: new Uint8Array([1, 2, 255]).buffer },
      { name: 'o', data: { a: 1 } },
    ]);
    out.ackSerials = r.serials.length;
    await waitFor(() => got.length === 3, 5000, 'subscribe');
    out.received = got.map((m) => ({ name: m.name, clientId: m.clientId, type: m.data instanceof ArrayBuffer ? 'ArrayBuffer' : typeof m.data,
      data: m.data instanceof ArrayBuffer ? Array.from(new Uint8Array(m.data)) : m.data }));
    // echo=false: sub's own publish is not delivered back to it
    await sch.publish('own', 'x');
    await sleep(100);
    out.echoSuppressed = got.length === 3;
    // REST: time, single + batch publish, history with pagination (envelope=json in browsers)
    const rest = new Ably.Rest(opts());
    out.timeSkew = Math.abs((await rest.time()) - Date.now());
    const rch = rest.channels.get('w-rest');
    out.restSingle = (await rch.publish('one', '1')).serials.length;
    out.restBatch = (await rch.publish([{ name: 'two', data: '2' }, { name: 'three', data: '3' }])).serials.length;
    const page1 = await rch.history({ limit: 2 });
    const page2 = await page1.next();
    out.history = [page1.items.map((m) => m.data), page1.hasNext(), page2.items.map((m) => m.data), page2.hasNext()];
    // REST errors carry the Ably code through XHR (needs X-Ably-ErrorCode)
    try { await new Ably.Rest(opts({ key: key.split(':')[0] + ':wrong' })).channels.get('x').publish('a', 'b'); out.restError = 'none'; }
    catch (err) { out.restError = err.code; }
    // token auth: ably-js signs a TokenRequest with the key, the server verifies the HMAC
    const tok = rt({ useTokenAuth: true, clientId: 'w-token' });
    await tok.connection.whenState('connected');
    out.tokenClientId = tok.auth.clientId;
    out.tokenPublish = (await tok.channels.get('w-tok').publish('t', 'x')).serials.length;
    // forced drop mid-stream -> resumed, nothing lost or duplicated
    const rsub = rt();
    const seen = [];
    await rsub.connection.whenState('connected');
    const idBefore = rsub.connection.id;
    let resumed;
    const rch2 = rsub.channels.get('w-resume');
    rch2.on('attached', (sc) => { resumed = sc.resumed; });
    await rch2.subscribe((m) => seen.push(Number(m.data)));
    const acks = [];
    for (let i = 0; i < 200; i++) {
      acks.push(pub.channels.get('w-resume').publish('n', String(i)));
      if (i === 80) {
        await waitFor(() => seen.length > 20, 5000, 'pre-drop');
        const res = await fetch('/lab/connections/drop?connectionId=' + rsub.connection.id, {
          method: 'POST',
          headers: { authorization: 'Basic ' + btoa(key) },
        });
        out.dropStatus = res.status;
      }
    }
    await Promise.all(acks);
    await waitFor(() => seen.length >= 200, 10000, 'all after drop (got ' + seen.length + ')');
    await sleep(100);
    out.resume = { sameId: rsub.connection.id === idBefore, resumed, inOrderExactlyOnce: seen.length === 200 && seen.every((v, i) => v === i) };
    // close
    pub.close();
    await pub.connection.whenState('closed');
    out.closed = pub.connection.state;
  } catch (err) {
    out.error = String(err && err.stack || err);
  }
  for (const c of clients) c.close();
  postMessage(out);
};
`;

const PAGE = `<!doctype html><meta charset="utf-8"><title>server worker test</title>
<script>
window.runWorker = (key) => new Promise((resolve) => {
  const w = new Worker('/worker.js');
  w.onmessage = (e) => resolve(e.data);
  w.onerror = (e) => resolve({ error: 'worker error: ' + e.message });
  w.postMessage({ key });
});
</script>`;

let server: ServerHandle;

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'server-e2e-'));
  const require = createRequire(import.meta.url);
  const ablyNode = require.resolve('ably');
  copyFileSync(join(dirname(ablyNode), 'ably.js'), join(dir, 'ably.js'));
  writeFileSync(join(dir, 'worker.js'), WORKER);
  writeFileSync(join(dir, 'index.html'), PAGE);
  server = await startServer({ port: 0, staticDir: dir });
});
test.afterAll(async () => {
  await server.close();
});

test('ably-js in a Chromium dedicated worker (JSON): connect, pub/sub, echo=false, REST, token auth, forced drop → resumed, close', async ({
  page,
}) => {
  await page.goto(`${server.url}/`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const out = (await page.evaluate(
    (key) => (window as unknown as { runWorker(k: string): Promise<unknown> }).runWorker(key),
    server.key,
  )) as Record<string, unknown>;
  expect(out.error).toBeUndefined();
  expect(out.isWorker).toBe(true);
  expect(out.json).toBe(true);
  expect(out.connected).toEqual(['connected', 'connected']);
  expect(out.attachedModes).toEqual(expect.arrayContaining(['publish', 'subscribe']));
  expect(out.ackSerials).toBe(3);
  expect(out.received).toEqual([
    { name: 's', clientId: 'w-pub', type: 'string', data: 'hello' },
    { name: 'b', clientId: 'w-pub', type: 'ArrayBuffer', data: [1, 2, 255] },
    { name: 'o', clientId: 'w-pub', type: 'object', data: { a: 1 } },
  ]);
  expect(out.echoSuppressed).toBe(true);
  expect(out.timeSkew).toBeLessThan(2000);
  expect(out.restSingle).toBe(1);
  expect(out.restBatch).toBe(2);
  expect(out.history).toEqual([['3', '2'], true, ['1'], false]);
  expect(out.restError).toBe(40101);
  expect(out.tokenClientId).toBe('w-token');
  expect(out.tokenPublish).toBe(1);
  expect(out.dropStatus).toBe(200);
  expect(out.resume).toEqual({ sameId: true, resumed: true, inOrderExactlyOnce: true });
  expect(out.closed).toBe('closed');
});
