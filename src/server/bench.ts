/**
 * Throughput benchmark (run by hand, not a test):
 *
 *   npx tsx src/server/bench.ts [--publishers 4] [--subs 4] [--seconds 5] [--window 1000] [--size 16]
 *
 * Starts `src/server/main.ts` in its own process, then for each phase:
 *   1. publish: `publishers` msgpack connections, each on its own channel with no subscribers,
 *      keep `window` MESSAGEs un-ACKed; reports messages published+ACKed per second.
 *   2. fan-out: same publishers, each channel with `subs` subscriber connections; reports
 *      messages delivered to subscribers per second.
 * Server CPU comes from /lab/metrics (process.cpuUsage of the server process) over the phase, so it
 * excludes this client process. The server's RSS is printed before, at peak (VmHWM from
 * /proc/<pid>/status, Linux) and after the phases.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { RawPublisher } from './test/rawpub.ts';
import { spawnServer, type SpawnedServer } from './test/spawn.ts';

const { values } = parseArgs({
  options: {
    publishers: { type: 'string', default: '4' },
    subs: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '5' },
    window: { type: 'string', default: '1000' },
    size: { type: 'string', default: '16' },
  },
});
const P = Number(values.publishers);
const S = Number(values.subs);
const SECONDS = Number(values.seconds);
const WINDOW = Number(values.window);
const PAYLOAD = 'x'.repeat(Math.max(0, Number(values.size) - 8));

async function metrics(s: SpawnedServer): Promise<{
  cpu: { userMs: number; systemMs: number };
  messagesIn: number;
  messagesOut: number;
  eventLoopDelayMs: { p99: number; max: number };
}> {
  const r = await fetch(`${s.url}/lab/metrics`, {
    headers: { authorization: `Basic ${Buffer.from(s.key).toString('base64')}` },
  });
  return r.json() as never;
}

async function subscriber(s: SpawnedServer, channel: string, counter: { n: number }): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/?format=msgpack&v=6&key=${encodeURIComponent(s.key)}`);
  await new Promise<void>((resolve) => {
    let attached = false;
    ws.on('message', (d: Buffer) => {
      if (attached) {
        counter.n++; // one message per MESSAGE frame in this benchmark
        return;
      }
      // CONNECTED then ATTACHED (msgpack map: action is the first key's value; decode lazily)
      if (d.includes(Buffer.from('connectionDetails')))
        ws.send(
          Buffer.from([
            0x82,
            0xa6,
            ...Buffer.from('action'),
            0x0a,
            0xa7,
            ...Buffer.from('channel'),
            0xa0 + channel.length,
            ...Buffer.from(channel),
          ]),
        );
      else if (d.includes(Buffer.from('channelSerial'))) {
        attached = true;
        resolve();
      }
    });
  });
  return ws;
}

async function phase(s: SpawnedServer, name: string, subsPerChannel: number): Promise<void> {
  const channels = Array.from({ length: P }, (_, i) => `bench-${name}-${i}`);
  const counter = { n: 0 };
  const subs = await Promise.all(
    channels.flatMap((c) => Array.from({ length: subsPerChannel }, () => subscriber(s, c, counter))),
  );
  const pubs = channels.map(() => new RawPublisher(s.port, s.key));
  await Promise.all(pubs.map((p) => p.ready));
  const m0 = await metrics(s);
  const t0 = performance.now();
  const stopAt = Date.now() + SECONDS * 1000;
  // publish in rounds of 10k per publisher until time is up
  let published = 0;
  await Promise.all(
    pubs.map(async (p, i) => {
      let target = 0;
      while (Date.now() < stopAt) {
        target += 10000;
        await p.publish(channels[i]!, target, `p${i}`, WINDOW, PAYLOAD);
      }
      published += p.acked;
    }),
  );
  const expected = published * subsPerChannel;
  while (counter.n < expected && performance.now() - t0 < (SECONDS + 30) * 1000)
    await new Promise((r) => setTimeout(r, 5));
  const secs = (performance.now() - t0) / 1000;
  const m1 = await metrics(s);
  const cpuMs = m1.cpu.userMs + m1.cpu.systemMs - (m0.cpu.userMs + m0.cpu.systemMs);
  console.log(
    `${name.padEnd(8)} publishers=${P} subs/channel=${subsPerChannel} window=${WINDOW} ` +
      `published+ACKed=${published} (${Math.round(published / secs).toLocaleString('en')} msg/s) ` +
      `delivered=${counter.n} (${Math.round(counter.n / secs).toLocaleString('en')} msg/s) ` +
      `in ${secs.toFixed(2)} s; server CPU ${(cpuMs / 1000 / secs).toFixed(2)} cores (${Math.round(cpuMs)} ms), ` +
      `event-loop p99 ${m1.eventLoopDelayMs.p99} ms; server CPU per ${subsPerChannel ? 'delivery' : 'publish'} ` +
      `${((cpuMs * 1000) / (subsPerChannel ? counter.n : published)).toFixed(1)} us ` +
      `(=> ~${Math.round((subsPerChannel ? counter.n : published) / (cpuMs / 1000)).toLocaleString('en')}/s per core)`,
  );
  for (const p of pubs) p.close();
  for (const w of subs) w.terminate();
  await new Promise((r) => setTimeout(r, 200));
}

/** Server RSS now and its high-water mark (Linux /proc). */
function rss(s: SpawnedServer): string {
  const status = readFileSync(`/proc/${s.child.pid}/status`, 'utf8');
  const mb = (k: string) =>
    `${Math.round(Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024)} MB`;
  return `rss ${mb('VmRSS')}, peak ${mb('VmHWM')}`;
}

const server = await spawnServer();
try {
  console.log(`server before: ${rss(server)}`);
  await phase(server, 'publish', 0);
  await phase(server, 'fanout', S);
  console.log(`server after:  ${rss(server)}`);
} finally {
  await server.stop();
}
