import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { Lab } from '../test/helpers.ts';

/** Slow or idle HTTP clients cannot hold the server's sockets without bound. */
let lab: Lab | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}

/** Everything the server writes until it closes the socket. */
function readAll(s: Socket): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    s.on('data', (d: Buffer) => (out += d.toString()));
    s.on('close', () => resolve(out));
    s.on('error', () => {});
  });
}

describe('HTTP request timeouts', () => {
  test('a body that never completes gets 408 with an Ably error body and is closed; other requests are served meanwhile', async () => {
    lab = await Lab.start({ limits: { httpHeadersTimeout: 400, httpRequestTimeout: 600 } });
    const slow = await open(lab.server.port);
    const answer = readAll(slow);
    slow.write(
      `POST /channels/slow/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Authorization: Basic ${Buffer.from(lab.server.key).toString('base64')}\r\n` +
        `Content-Type: application/json\r\n` +
        `Content-Length: 1000\r\n\r\n[{"data":"`,
    );
    const t = await fetch(`${lab.server.url}/time`);
    expect(t.status).toBe(200);
    const raw = await answer;
    expect(raw).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({
      error: { code: 40000, statusCode: 408 },
    });
  });

  test('headers that never complete get 408 and are closed', async () => {
    lab = await Lab.start({ limits: { httpHeadersTimeout: 400, httpRequestTimeout: 600 } });
    const slow = await open(lab.server.port);
    const answer = readAll(slow);
    slow.write('GET /time HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    expect(await answer).toMatch(/^HTTP\/1\.1 408 /);
  });
});

test('beyond maxSockets open sockets a new connection is refused; once some close, requests are served again', async () => {
  lab = await Lab.start({ limits: { maxSockets: 5, maxConnections: 3 } });
  const held = await Promise.all(Array.from({ length: 5 }, () => open(lab!.server.port)));
  await expect(fetch(`${lab.server.url}/time`)).rejects.toThrow();
  for (const s of held) s.destroy();
  let status = 0;
  for (let i = 0; i < 100 && status !== 200; i++) {
    // the server sees the closes asynchronously: retry until it does
    status = await fetch(`${lab.server.url}/time`).then(
      (r) => r.status,
      () => 0,
    );
  }
  expect(status).toBe(200);
});

test("headers over Node's limit get 431 with an Ably error body (not a bare 400); the server goes on", async () => {
  lab = await Lab.start();
  const s = await open(lab.server.port);
  const answer = readAll(s);
  s.write(`GET /time HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`);
  const raw = await answer;
  expect(raw).toMatch(/^HTTP\/1\.1 431 /);
  expect(raw).toMatch(/X-Ably-ErrorCode: 40000/);
  expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 40000, statusCode: 431 } });
  expect((await fetch(`${lab.server.url}/time`)).status).toBe(200);
});
