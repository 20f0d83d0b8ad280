import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import { Ably, connected, Lab, loopback, waitFor } from './test/helpers.ts';

let lab: Lab;
let staticDir: string;
beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'lab-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>lab</title>');
  writeFileSync(join(staticDir, 'mod.wasm'), Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]));
  writeFileSync(join(staticDir, 'app.js'), 'export {}');
  lab = await Lab.start({ staticDir, key: 'myapp.k1:s3cret' });
});
afterAll(() => lab.close());

test('--key sets the default app key', () => {
  expect(lab.server.key).toBe('myapp.k1:s3cret');
  expect(lab.server.url).toBe(`http://127.0.0.1:${lab.server.port}`);
});

test('sandbox: POST /apps creates an isolated app with the requested keys; DELETE /apps/{id} removes it', async () => {
  const r = await fetch(`${lab.server.url}/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      keys: [{}, { capability: '{"restricted:*":["publish","subscribe"]}' }],
      namespaces: [],
      channels: [],
    }),
  });
  expect(r.status).toBe(201);
  const app = (await r.json()) as {
    appId: string;
    keys: Array<{ keyStr: string; keyName: string; capability: string }>;
  };
  expect(app.keys).toHaveLength(2);
  expect(app.keys[0]!.keyStr.startsWith(`${app.appId}.`)).toBe(true);
  expect(app.keys[1]!.capability).toBe('{"restricted:*":["publish","subscribe"]}');
  // isolated: the same channel name in the default app does not see the sandbox app's messages
  const inApp = lab.realtime({ key: app.keys[0]!.keyStr });
  const inDefault = lab.realtime();
  const gotApp: string[] = [];
  const gotDefault: string[] = [];
  await inApp.channels.get('shared').subscribe((m) => void gotApp.push(m.data as string));
  await inDefault.channels.get('shared').subscribe((m) => void gotDefault.push(m.data as string));
  await new Ably.Rest(loopback(lab.server, { key: app.keys[0]!.keyStr })).channels
    .get('shared')
    .publish('n', 'sandbox');
  await waitFor(() => gotApp.length === 1);
  await new Promise((r) => setTimeout(r, 50));
  expect(gotDefault).toEqual([]);
  // restricted key
  const restricted = new Ably.Rest(loopback(lab.server, { key: app.keys[1]!.keyStr }));
  await expect(restricted.channels.get('open').publish('n', 'x')).rejects.toMatchObject({ code: 40160 });
  await restricted.channels.get('restricted:1').publish('n', 'x');
  // delete: needs that app's key
  const denied = await fetch(`${lab.server.url}/apps/${app.appId}`, {
    method: 'DELETE',
    headers: { authorization: `Basic ${Buffer.from(lab.server.key).toString('base64')}` },
  });
  expect(denied.status).toBe(401);
  const del = await fetch(`${lab.server.url}/apps/${app.appId}`, {
    method: 'DELETE',
    headers: { authorization: `Basic ${Buffer.from(app.keys[0]!.keyStr).toString('base64')}` },
  });
  expect(del.status).toBe(204);
  await inApp.connection.whenState('failed');
  const gone = await fetch(`${lab.server.url}/channels/x/messages`, {
    headers: { authorization: `Basic ${Buffer.from(app.keys[0]!.keyStr).toString('base64')}` },
  });
  expect(gone.headers.get('x-ably-errorcode')).toBe('40400');
  await connected(inDefault);
});

test('staticDir: GET / serves index.html with isolation headers; MIME incl. application/wasm; WS upgrade on / still works', async () => {
  const page = await fetch(`${lab.server.url}/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  expect(page.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  expect(await page.text()).toContain('<title>lab</title>');
  const wasm = await fetch(`${lab.server.url}/mod.wasm`);
  expect(wasm.headers.get('content-type')).toBe('application/wasm');
  expect((await fetch(`${lab.server.url}/app.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect((await fetch(`${lab.server.url}/../../etc/passwd`)).status).toBe(404);
  expect((await fetch(`${lab.server.url}/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
  const time = await fetch(`${lab.server.url}/time`);
  expect(time.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  const c = lab.realtime();
  await connected(c);
  // the ws connectivity-check path is accepted and closed cleanly
  const check = new WebSocket(`ws://127.0.0.1:${lab.server.port}/ws-up`);
  const code = await new Promise<number>((r) => check.on('close', (c2) => r(c2)));
  expect(code).toBe(1000);
});

test('sandbox: POST /apps answers with the namespaces it was given (test harnesses read them), each with its id', async () => {
  const namespaces = [
    { id: 'persisted', persisted: true },
    { id: 'mutable', mutableMessages: true },
  ];
  const r = await fetch(`${lab.server.url}/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ keys: [{}], namespaces }),
  });
  expect(r.status).toBe(201);
  const app = (await r.json()) as { namespaces: Array<Record<string, unknown>> };
  expect(app.namespaces).toEqual([expect.objectContaining(namespaces[0]), expect.objectContaining(namespaces[1])]);
  const bad = await fetch(`${lab.server.url}/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ namespaces: [{ persisted: true }] }),
  });
  expect(bad.status).toBe(400);
});
