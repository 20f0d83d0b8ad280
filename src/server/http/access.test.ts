import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Lab } from '../test/helpers.ts';

/**
 * Who may provision sandbox apps, and which origins get credentialed CORS. Any web page the user
 * visits can reach a loopback server, so neither may be open to every Origin.
 */
let lab: Lab;
beforeAll(async () => {
  lab = await Lab.start();
});
afterAll(() => lab.close());

async function appCount(): Promise<number> {
  return ((await lab.lab('GET', 'metrics')) as { apps: number }).apps;
}

/** A raw request, so Host can be anything (a DNS-rebinding page sends its own host name). */
function post(
  path: string,
  headers: Record<string, string>,
): Promise<{
  status: number;
  body: { error?: { code: number; statusCode: number } };
  headers: Record<string, unknown>;
}> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: lab.server.port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as never,
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

describe('POST /apps is for loopback, same-origin callers only', () => {
  test('from another site (Origin, Sec-Fetch-Site) or through a rebound host name: 403 40300, no app created', async () => {
    const before = await appCount();
    for (const headers of <Record<string, string>[]>[
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { host: `evil.example:${lab.server.port}`, origin: `http://evil.example:${lab.server.port}` },
      { host: 'evil.example' },
    ]) {
      const r = await post('/apps', headers);
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(r.body.error).toMatchObject({ code: 40300, statusCode: 403 });
      expect(r.headers['access-control-allow-credentials']).toBeUndefined();
    }
    expect(await appCount()).toBe(before);
  });

  test('from a loopback tool (no Origin) or the server’s own origin: 201', async () => {
    const before = await appCount();
    expect((await post('/apps', {})).status).toBe(201);
    expect((await post('/apps', { origin: lab.server.url, 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    expect(await appCount()).toBe(before + 2);
  });
});

describe('CORS: credentials only for loopback origins', () => {
  test('an arbitrary or null Origin gets Allow-Origin * and no credentials, on responses and preflights', async () => {
    for (const origin of ['http://evil.example', 'null']) {
      const r = await fetch(`${lab.server.url}/time`, { headers: { origin } });
      expect(r.headers.get('access-control-allow-origin'), origin).toBe('*');
      expect(r.headers.get('access-control-allow-credentials')).toBeNull();
      const pre = await fetch(`${lab.server.url}/lab/metrics`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
      expect(pre.headers.get('access-control-allow-origin')).toBe('*');
      expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  test('a loopback origin (the lab page on another port) is echoed with credentials, as ably-js XHR needs', async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:4187', 'http://[::1]:8080']) {
      const r = await fetch(`${lab.server.url}/time`, { headers: { origin } });
      expect(r.headers.get('access-control-allow-origin'), origin).toBe(origin);
      expect(r.headers.get('access-control-allow-credentials')).toBe('true');
      expect(r.headers.get('vary')).toMatch(/Origin/);
    }
  });
});
