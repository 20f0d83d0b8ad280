import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { API_ROOTS, LAB_HOOKS, type LabHook, OTHER_ROUTES } from '../server/http/routes';
import { isAblyPath, isAblySocket, labServe, mayReadLocalConfig } from './serve-plugin';

/** A valid request for every lab hook (query after `?`); a hook missing here fails the type check. */
const HOOK_QUERIES: Record<LabHook, string> = {
  metrics: '',
  'metrics/reset': '',
  connections: '',
  'connections/drop': 'connectionId=all',
  'connections/delay': 'ms=0',
  'connections/pause': '',
  'connections/resume': '',
  'connections/discard-next': 'n=0',
  'channels/blast': 'channel=proxied-blast&count=1',
};
const HOOKS = Object.keys(LAB_HOOKS) as LabHook[];

describe('routing and access helpers', () => {
  it('proxies Ably REST roots and only them', () => {
    for (const p of [
      '/channels/x/messages',
      '/time',
      '/keys/a.b/requestToken',
      '/apps',
      '/messages?x=1',
      '/stats',
      '/lab/metrics',
      '/lab/metrics/reset',
      '/lab/connections/drop?connectionId=all',
    ])
      expect(isAblyPath(p), p).toBe(true);
    for (const p of [
      '/',
      '/index.html',
      '/assets/x.js',
      '/@vite/client',
      '/timeline',
      '/channelsx',
      '/lab/results.ts',
      '/lab/scenarios/index.ts?t=1',
      '/lab/local-config',
    ])
      expect(isAblyPath(p), p).toBe(false);
  });
  it('forwards the subscribe-throughput blast and the discard fault hooks', () => {
    expect(isAblyPath('/lab/channels/blast?channel=c&count=1')).toBe(true);
    expect(isAblyPath('/lab/connections/discard-next?n=0')).toBe(true);
  });
  it.each(HOOKS)('forwards the lab hook /lab/%s (from the server route table)', (hook) => {
    expect(isAblyPath(`/lab/${hook}`)).toBe(true);
    expect(isAblyPath(`/lab/${hook}?${HOOK_QUERIES[hook]}`)).toBe(true);
  });
  it.each([...API_ROOTS.filter((r) => r !== 'lab'), ...OTHER_ROUTES])('forwards the route root /%s', (root) => {
    expect(isAblyPath(`/${root}`)).toBe(true);
    expect(isAblyPath(`/${root}/x?y=1`)).toBe(root !== 'is-the-internet-up.txt');
  });
  it('takes only the keyed realtime socket on /, never Vite HMR', () => {
    expect(isAblySocket('/?key=a.b:c&v=6')).toBe(true);
    expect(isAblySocket('/?access_token=t')).toBe(true);
    expect(isAblySocket('/?token=abc')).toBe(false); // Vite HMR's query
    expect(isAblySocket('/')).toBe(false);
    expect(isAblySocket('/ws?key=x')).toBe(false);
  });
  it('gives the key only to loopback, loopback-Host, same-origin callers', () => {
    expect(mayReadLocalConfig('127.0.0.1', '127.0.0.1:5173', 'same-origin')).toBe(true);
    expect(mayReadLocalConfig('::1', 'localhost:5173', undefined)).toBe(true);
    expect(mayReadLocalConfig('::ffff:127.0.0.1', '[::1]:5173', 'none')).toBe(true);
    expect(mayReadLocalConfig('192.168.1.7', '127.0.0.1:5173', 'same-origin')).toBe(false); // LAN peer
    expect(mayReadLocalConfig('127.0.0.1', 'evil.example:5173', 'same-origin')).toBe(false); // DNS rebinding
    expect(mayReadLocalConfig('127.0.0.1', '127.0.0.1:5173', 'cross-site')).toBe(false);
    expect(mayReadLocalConfig(undefined, '127.0.0.1', undefined)).toBe(false);
  });
});

describe('labServe on a plain Node server (as `vite preview` installs it)', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const stack: ((req: IncomingMessage, res: ServerResponse, next: () => void) => void)[] = [];
    server = createServer((req, res) => {
      const run = (i: number): void =>
        i < stack.length ? stack[i]!(req, res, () => run(i + 1)) : void res.writeHead(200).end('page');
      run(0);
    });
    const plugin = labServe();
    const hook = plugin.configurePreviewServer as (s: unknown) => void;
    hook({
      middlewares: { use: (fn: (typeof stack)[number]) => stack.push(fn) },
      httpServer: server,
      config: { logger: { info: () => undefined } },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('serves the key locally, proxies REST and the realtime socket to the local Ably server', async () => {
    const cfg = (await (await fetch(`${base}/lab/local-config`)).json()) as { key: string; upstream: string };
    expect(cfg.key).toMatch(/^labapp\.root:\S+$/);
    expect(cfg.upstream).not.toBe(base);
    expect(await (await fetch(`${base}/`)).text()).toBe('page'); // not proxied
    const t = (await (await fetch(`${base}/time`)).json()) as number[];
    expect(Math.abs(t[0]! - Date.now())).toBeLessThan(5000);
    // REST publish through the proxy, then history: the request body is forwarded.
    const auth = {
      authorization: `Basic ${Buffer.from(cfg.key).toString('base64')}`,
      'content-type': 'application/json',
    };
    expect(
      (
        await fetch(`${base}/channels/p1/messages`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ name: 'n', data: 'via-proxy' }),
        })
      ).status,
    ).toBe(201);
    const hist = (await (await fetch(`${base}/channels/p1/messages`, { headers: auth })).json()) as { data: string }[];
    expect(hist.map((m) => m.data)).toEqual(['via-proxy']);
    // A bad key is rejected by the real server (errors pass through).
    expect(
      (
        await fetch(`${base}/channels/p1/messages`, {
          headers: { authorization: `Basic ${Buffer.from('labapp.root:nope').toString('base64')}` },
        })
      ).status,
    ).toBe(401);
    // Realtime: CONNECTED (action 4) over the proxied socket.
    const ws = new WebSocket(`${base.replace('http', 'ws')}/?key=${encodeURIComponent(cfg.key)}&v=6&format=json`);
    const first = await new Promise<{ action: number }>((resolve, reject) => {
      ws.once('message', (d) => resolve(JSON.parse(String(d))));
      ws.once('error', reject);
    });
    ws.close();
    expect(first.action).toBe(4);
  });

  it.each(HOOKS)('reaches the server: %s /lab/hook through the proxy', async (hook) => {
    const cfg = (await (await fetch(`${base}/lab/local-config`)).json()) as { key: string };
    const auth = { authorization: `Basic ${Buffer.from(cfg.key).toString('base64')}` };
    const r = await fetch(`${base}/lab/${hook}?${HOOK_QUERIES[hook]}`, { method: LAB_HOOKS[hook], headers: auth });
    expect({ hook, status: r.status }).toEqual({ hook, status: 200 });
    expect(r.headers.get('content-type')).toMatch(/^application\/json/); // the server's answer, not the page
  });

  it.each([...API_ROOTS.filter((r) => r !== 'lab'), ...OTHER_ROUTES])(
    'reaches the server: GET /%s through the proxy',
    async (root) => {
      const r = await fetch(`${base}/${root}`);
      expect(await r.text()).not.toBe('page'); // the stand-in page server answers whatever is not forwarded
    },
  );

  it('refuses the key to a foreign Host header', async () => {
    // fetch() cannot set Host; a raw request can (what a DNS-rebinding page would send).
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      get(`${base}/lab/local-config`, { headers: { host: 'attacker.example' } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });
    expect(status).toBe(403);
    expect(body).not.toMatch(/labapp/);
  });
});
