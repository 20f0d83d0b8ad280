/**
 * Channel churn benchmark (run by hand, not a test): does the server give memory back?
 *
 *   npx tsx src/server/bench-churn.ts [--channels 100000] [--window 200] [--batch 10000] [--idle-ttl 15000]
 *
 * Starts `src/server/main.ts` in its own process, then:
 *   1. churn: one msgpack connection ATTACHes and DETACHes `channels` distinct channel names,
 *      `window` channels in flight at a time;
 *   2. batch: one REST batch publish (`POST /messages`) of one message to `batch` new channels;
 *   3. idle: nothing for `idle-ttl` + 2 s, the server started with `--idle-channel-ttl idle-ttl`,
 *      so every channel has aged out (the default ttl, 10 min, is too long to wait for here).
 * Prints the server's RSS before, at peak (the kernel's high-water mark, VmHWM from
 * /proc/<pid>/status, so Linux only) and after each phase, its V8 heap right after a full GC and
 * its channel count (from /lab/metrics?gc=true; the server runs with --expose-gc), and the wall time.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Decoder } from '@msgpack/msgpack';
import WebSocket from 'ws';
import { encodeMsgpackFast as encode } from './codec/msgpack-out.ts';
import { spawnServer, type SpawnedServer } from './test/spawn.ts';

const { values } = parseArgs({
  options: {
    channels: { type: 'string', default: '100000' },
    window: { type: 'string', default: '200' },
    batch: { type: 'string', default: '10000' },
    'idle-ttl': { type: 'string', default: '15000' },
  },
});
const CHANNELS = Number(values.channels);
const WINDOW = Number(values.window);
const BATCH = Number(values.batch);
const IDLE_TTL = Number(values['idle-ttl']);
const MB = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

function procStatus(pid: number): { rss: number; hwm: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

async function labMetrics(
  s: SpawnedServer,
): Promise<{ channels: number; memory: { rssBytes: number; heapUsedBytes: number } }> {
  const r = await fetch(`${s.url}/lab/metrics?gc=true`, {
    headers: { authorization: `Basic ${Buffer.from(s.key).toString('base64')}` },
  });
  return r.json() as never;
}

async function report(s: SpawnedServer, label: string): Promise<void> {
  const m = await labMetrics(s);
  const p = procStatus(s.child.pid!);
  console.log(
    `${label.padEnd(14)} rss ${MB(p.rss).padStart(7)}  peak so far ${MB(p.hwm).padStart(7)}  ` +
      `heapUsed ${MB(m.memory.heapUsedBytes).padStart(7)}  channels ${m.channels}`,
  );
}

/** One connection attaches and detaches `n` distinct channels, `window` at a time. */
async function churn(s: SpawnedServer, n: number, window: number): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/?format=msgpack&v=6&key=${encodeURIComponent(s.key)}`);
  const decoder = new Decoder();
  let next = 0;
  let done = 0;
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    const start = () => {
      if (next >= n) return;
      ws.send(encode({ action: 10, channel: `churn-${next++}` }));
    };
    ws.on('message', (d: Buffer) => {
      const pm = decoder.decode(d) as { action: number; channel?: string; error?: { code: number; message: string } };
      if (pm.action === 4) for (let i = 0; i < window; i++) start();
      else if (pm.action === 11) ws.send(encode({ action: 12, channel: pm.channel }));
      else if (pm.action === 13) {
        if (++done === n) resolve();
        else start();
      } else if (pm.action === 9)
        reject(new Error(`ERROR ${pm.error?.code} on ${pm.channel ?? 'connection'}: ${pm.error?.message}`));
    });
  });
  ws.close();
}

/** One REST batch publish of one message to each of `n` new channels. */
async function batch(s: SpawnedServer, n: number): Promise<void> {
  const channels = Array.from({ length: n }, (_, i) => `batch-${i}`);
  const r = await fetch(`${s.url}/messages`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(s.key).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify([{ channels, messages: [{ name: 'm', data: 'x'.repeat(100) }] }]),
  });
  const body = (await r.json()) as
    | { successCount?: number; failureCount?: number }[]
    | { successCount?: number; failureCount?: number };
  const res = Array.isArray(body) ? body[0] : body;
  if (r.status !== 201 || res?.successCount !== n)
    throw new Error(`batch publish: ${r.status} ${JSON.stringify(body).slice(0, 300)}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const server = await spawnServer(['--idle-channel-ttl', String(IDLE_TTL)], ['--expose-gc']);
try {
  await report(server, 'before');
  let t0 = performance.now();
  await churn(server, CHANNELS, WINDOW);
  console.log(`churn: ${CHANNELS} channels attached+detached in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await report(server, 'after churn');
  t0 = performance.now();
  await batch(server, BATCH);
  console.log(`batch: 1 message to ${BATCH} channels in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await report(server, 'after batch');
  await sleep(5000);
  await report(server, 'idle 5 s later');
  await sleep(IDLE_TTL + 2000 - 5000);
  await report(server, `idle ${((IDLE_TTL + 2000) / 1000).toFixed(0)} s later`);
} finally {
  await server.stop();
}
