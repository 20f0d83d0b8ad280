/**
 * Blast benchmark (run by hand, not a test): how fast the lab's blast hook delivers to one raw
 * WebSocket subscriber that decodes every frame (JSON.parse / msgpack decode) and checks order.
 *
 *   npx tsx src/server/bench-blast.ts [--count 200000] [--size 100] [--perFrame 1,10] [--format json,msgpack] [--rounds 3]
 *
 * The server runs in its own process (src/server/main.ts); this process is the subscriber. Rate =
 * messages from sending the blast request to the last message decoded; server CPU from /lab/metrics.
 */
import { parseArgs } from 'node:util';
import { Decoder, encode } from '@msgpack/msgpack';
import WebSocket from 'ws';
import { spawnServer, type SpawnedServer } from './test/spawn.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '200000' },
    size: { type: 'string', default: '100' },
    perFrame: { type: 'string', default: '1,10' },
    format: { type: 'string', default: 'json,msgpack' },
    rounds: { type: 'string', default: '3' },
  },
});
const N = Number(values.count);
const decoder = new Decoder();
const auth = (s: SpawnedServer) => ({ authorization: `Basic ${Buffer.from(s.key).toString('base64')}` });
type Pm = { action: number; messages?: Array<{ name: string }> };

async function cpuMs(s: SpawnedServer): Promise<number> {
  const m = (await (await fetch(`${s.url}/lab/metrics`, { headers: auth(s) })).json()) as {
    cpu: { userMs: number; systemMs: number };
  };
  return m.cpu.userMs + m.cpu.systemMs;
}

async function round(s: SpawnedServer, format: 'json' | 'msgpack', perFrame: number, tag: string): Promise<string> {
  const channel = `bench-blast-${tag}`;
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/?format=${format}&v=6&key=${encodeURIComponent(s.key)}`);
  let got = 0;
  let bad = 0;
  let done: () => void = () => {};
  const all = new Promise<void>((r) => (done = r));
  await new Promise<void>((resolve) => {
    ws.on('message', (d: Buffer, binary: boolean) => {
      const pm = (binary ? decoder.decode(d) : JSON.parse(d.toString())) as Pm;
      if (pm.action === 15) {
        for (const m of pm.messages!) if (Number(m.name) !== got++) bad++;
        if (got >= N) done();
      } else if (pm.action === 4)
        ws.send(format === 'json' ? JSON.stringify({ action: 10, channel }) : encode({ action: 10, channel }));
      else if (pm.action === 11) resolve();
    });
  });
  const c0 = await cpuMs(s);
  const t0 = performance.now();
  const r = await fetch(
    `${s.url}/lab/channels/blast?channel=${channel}&count=${N}&size=${values.size}&perFrame=${perFrame}`,
    { method: 'POST', headers: auth(s) },
  );
  const body = (await r.json()) as { elapsedMs: number; stalled: number };
  await all;
  const secs = (performance.now() - t0) / 1000;
  const cpu = (await cpuMs(s)) - c0;
  ws.terminate();
  const rate = Math.round(N / secs)
    .toLocaleString('en')
    .padStart(9);
  return (
    `${format.padEnd(7)} perFrame=${String(perFrame).padEnd(3)} ${rate} msg/s delivered (${N} in ${secs.toFixed(2)} s, ` +
    `hook answered after ${body.elapsedMs} ms${body.stalled ? ', STALLED' : ''}${bad ? `, ${bad} OUT OF ORDER` : ''}); ` +
    `server CPU ${(cpu / 1000 / secs).toFixed(2)} cores`
  );
}

const server = await spawnServer();
try {
  let k = 0;
  for (const perFrame of values.perFrame.split(',').map(Number)) {
    for (const format of values.format.split(',') as Array<'json' | 'msgpack'>) {
      for (let i = 0; i < Number(values.rounds); i++) console.log(await round(server, format, perFrame, String(k++)));
    }
  }
} finally {
  await server.stop();
}
