import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Ably from 'ably';
import { RawPublisher } from './test/rawpub.ts';
import { spawnServer, type SpawnedServer } from './test/spawn.ts';

/**
 * Bounded load test (loopback): 500 concurrent realtime connections on 50 channels.
 * Per channel: 8 raw msgpack publishers × 250 messages (100,000 messages in all), one ably-js
 * subscriber (msgpack) and one raw JSON subscriber. Every subscriber must get every message exactly
 * once and, per publisher, in order; every publish must be ACKed. The server runs in its own process.
 */
const CHANNELS = 50;
const PUBLISHERS_PER_CHANNEL = 8;
const MESSAGES_PER_PUBLISHER = 250;
const TOTAL = CHANNELS * PUBLISHERS_PER_CHANNEL * MESSAGES_PER_PUBLISHER;

let server: SpawnedServer;
beforeAll(async () => {
  server = await spawnServer();
});
afterAll(() => server.stop());

/** Per-subscriber check: next expected index per publisher tag; any gap/duplicate/reorder is an error. */
class OrderCheck {
  readonly next = new Map<string, number>();
  errors: string[] = [];
  count = 0;
  see(data: string): void {
    const colon = data.lastIndexOf(':');
    const tag = data.slice(0, colon);
    const i = Number(data.slice(colon + 1));
    const want = this.next.get(tag) ?? 0;
    if (i !== want && this.errors.length < 5) this.errors.push(`${tag}: got ${i}, expected ${want}`);
    this.next.set(tag, i + 1);
    this.count++;
  }
}

test(`load: 500 connections, ${CHANNELS} channels, ${TOTAL} messages exactly once and in order`, async () => {
  const opts = (extra: Ably.ClientOptions): Ably.ClientOptions => ({
    key: server.key,
    endpoint: '127.0.0.1',
    port: server.port,
    tls: false,
    transports: ['web_socket'],
    disableConnectivityCheck: true,
    fallbackHosts: [],
    logLevel: 0,
    ...extra,
  });
  const ablySubs: Ably.Realtime[] = [];
  const rawSubs: WebSocket[] = [];
  const checks: OrderCheck[] = [];
  const attaches: Promise<unknown>[] = [];
  for (let c = 0; c < CHANNELS; c++) {
    const name = `load-${c}`;
    const rt = new Ably.Realtime(opts({}));
    ablySubs.push(rt);
    const ca = new OrderCheck();
    checks.push(ca);
    attaches.push(rt.channels.get(name).subscribe((m) => ca.see(m.data as string)));
    const cr = new OrderCheck();
    checks.push(cr);
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/?format=json&v=6&key=${encodeURIComponent(server.key)}`);
    ws.on('error', () => {});
    rawSubs.push(ws);
    attaches.push(
      new Promise<void>((resolve) => {
        ws.on('message', (d: Buffer) => {
          const pm = JSON.parse(d.toString()) as { action: number; messages?: Array<{ data: string }> };
          if (pm.action === 4) ws.send(JSON.stringify({ action: 10, channel: name }));
          else if (pm.action === 11) resolve();
          else if (pm.action === 15) for (const m of pm.messages!) cr.see(m.data);
        });
      }),
    );
  }
  await Promise.all(attaches);
  const pubs: RawPublisher[] = [];
  for (let c = 0; c < CHANNELS; c++)
    for (let p = 0; p < PUBLISHERS_PER_CHANNEL; p++) pubs.push(new RawPublisher(server.port, server.key));
  await Promise.all(pubs.map((p) => p.ready));
  const metrics = async () =>
    (await (
      await fetch(`${server.url}/lab/metrics`, {
        headers: { authorization: `Basic ${Buffer.from(server.key).toString('base64')}` },
      })
    ).json()) as Record<string, number>;
  expect((await metrics()).connections).toBe(CHANNELS * (2 + PUBLISHERS_PER_CHANNEL));

  const t0 = Date.now();
  await Promise.all(
    pubs.map((p, i) =>
      p.publish(`load-${Math.floor(i / PUBLISHERS_PER_CHANNEL)}`, MESSAGES_PER_PUBLISHER, `p${i}`, 50),
    ),
  );
  const deadline = Date.now() + 30000;
  while (checks.some((c) => c.count < TOTAL / CHANNELS) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  const elapsed = Date.now() - t0;
  await new Promise((r) => setTimeout(r, 100)); // anything extra (duplicates) would arrive now

  expect(pubs.reduce((n, p) => n + p.acked, 0)).toBe(TOTAL);
  expect(pubs.reduce((n, p) => n + p.nacked, 0)).toBe(0);
  for (const c of checks) {
    expect(c.errors).toEqual([]);
    expect(c.count).toBe(TOTAL / CHANNELS);
    expect(c.next.size).toBe(PUBLISHERS_PER_CHANNEL);
    for (const v of c.next.values()) expect(v).toBe(MESSAGES_PER_PUBLISHER);
  }
  const m = await metrics();
  expect(m.messagesIn).toBe(TOTAL);
  expect(m.messagesOut).toBe(TOTAL * 2);
  console.log(
    `load: ${TOTAL} msgs published+ACKed, ${TOTAL * 2} delivered in ${elapsed} ms; ` +
      `server cpu ${JSON.stringify(m.cpu)} eld ${JSON.stringify(m.eventLoopDelayMs)}`,
  );
  for (const p of pubs) p.close();
  for (const s of rawSubs) s.terminate();
  for (const rt of ablySubs) rt.close();
}, 60000);
