import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from '../src/cli/chromium.ts';
import { startServer, type ServerHandle } from '../src/server/index.ts';

/**
 * CORS as Chromium enforces it. ably-js sends credentials (XHR withCredentials) with every
 * authorized REST call, so a page on another loopback origin needs its Origin echoed with
 * Access-Control-Allow-Credentials; a page on any other site must not get them, and must not be
 * able to provision a sandbox app (POST /apps) either. `evil.test` resolves to 127.0.0.1 here, as a
 * LAN site or a DNS-rebound name would: a real origin on a local address, so Chromium's private
 * network checks do not step in and only the server's answers decide.
 */

const base = chromiumLaunchOptions();
test.use({ launchOptions: { ...base, args: [...(base.args ?? []), '--host-resolver-rules=MAP evil.test 127.0.0.1'] } });

const PAGE = `<!doctype html><meta charset="utf-8"><script src="/ably.js"></script>`;

/** Runs in the page: ably-js REST against the server at `api` (another origin), plus a raw POST /apps. */
async function probe({ api, port, key }: { api: string; port: number; key: string }): Promise<Record<string, unknown>> {
  const Ably = (
    window as unknown as {
      Ably: {
        Rest: new (
          o: object,
        ) => {
          channels: {
            get(n: string): {
              publish(n: string, d: string): Promise<{ serials: string[] }>;
              history(): Promise<{ items: Array<{ name: string }> }>;
            };
          };
        };
      };
    }
  ).Ably;
  const out: Record<string, unknown> = {};
  const rest = new Ably.Rest({
    key,
    endpoint: new URL(api).hostname,
    port,
    tls: false,
    fallbackHosts: [],
    logLevel: 0,
  });
  try {
    out.serials = (await rest.channels.get('cors').publish('from-page', 'x')).serials.length;
    out.history = (await rest.channels.get('cors').history()).items.map((m) => m.name);
  } catch (e) {
    out.restError = String((e as Error).message ?? e);
  }
  for (const [name, url] of [
    ['appsStatus', `${api}/apps`],
    ['sameOriginAppsStatus', '/apps'],
  ] as const) {
    try {
      out[name] = (
        await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      ).status;
    } catch (e) {
      out[name] = `blocked: ${String(e)}`;
    }
  }
  return out;
}

let server: ServerHandle;

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'server-cors-e2e-'));
  copyFileSync(join(dirname(createRequire(import.meta.url).resolve('ably')), 'ably.js'), join(dir, 'ably.js'));
  writeFileSync(join(dir, 'index.html'), PAGE);
  server = await startServer({ port: 0, staticDir: dir });
});
test.afterAll(async () => {
  await server.close();
});

test('a page on another loopback origin (localhost → 127.0.0.1) uses ably-js REST with credentials; POST /apps is refused to it', async ({
  page,
}) => {
  await page.goto(`http://localhost:${server.port}/`);
  const out = await page.evaluate(probe, {
    api: `http://127.0.0.1:${server.port}`,
    port: server.port,
    key: server.key,
  });
  expect(out.restError).toBeUndefined();
  expect(out.serials).toBe(1);
  expect(out.history).toContain('from-page');
  expect(out.appsStatus).toBe(403); // another origin: readable (loopback CORS) but refused
  expect(out.sameOriginAppsStatus).toBe(201); // the server's own origin (Host localhost) may provision
});

async function appCount(): Promise<number> {
  const r = await fetch(`${server.url}/lab/metrics`, {
    headers: { authorization: `Basic ${Buffer.from(server.key).toString('base64')}` },
  });
  return ((await r.json()) as { apps: number }).apps;
}

test(
  'a page on another site gets no credentialed CORS: ably-js REST fails in the browser; ' +
    'it cannot mint an app, not even through its own (rebound) host name',
  async ({ page }) => {
    const before = await appCount();
    await page.goto(`http://evil.test:${server.port}/`);
    const out = await page.evaluate(probe, {
      api: `http://127.0.0.1:${server.port}`,
      port: server.port,
      key: server.key,
    });
    expect(out.serials).toBeUndefined();
    expect(out.restError).toEqual(expect.any(String));
    expect(out.appsStatus).toBe(403);
    expect(out.sameOriginAppsStatus).toBe(403);
    expect(await appCount()).toBe(before);
  },
);
