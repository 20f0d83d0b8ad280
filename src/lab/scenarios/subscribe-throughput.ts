/**
 * Subscribe throughput: N messages arrive on a fresh channel and the arm's subscriber callback
 * counts them, timed in the subscriber from the first delivery to the last. Against the local
 * server the server itself publishes them (POST /lab/channels/blast), so no client publisher can
 * be the limit; against a real endpoint the helper worker's raw publisher sends them pipelined
 * (the same for every arm). µs CPU per message of the SDK thread is reported either way.
 */
import { STREAM_IDLE_TIMEOUT_MS } from '../defaults';
import { SequenceTracker } from '../integrity';
import type { RealtimeHandle } from '../../sdk-adapters/adapter';
import { streamRate, type WorkerScenario } from './scenario';

function subscribeThroughput(perFrame: 1 | 10): WorkerScenario<RealtimeHandle> {
  return {
    kind: 'worker',
    meta: {
      id: perFrame === 1 ? 'subscribe-throughput' : 'subscribe-throughput-batch10',
      title: `Subscribe throughput (${perFrame} msg/frame)`,
      group: 'throughput',
      unit: 'msg/s',
      better: 'higher',
      claim: 'speed',
      description:
        `Fresh channel per sample; N messages of 100 B, ${perFrame} per frame, ` +
        `published by the local server itself (lab blast hook; ` +
        `against a real endpoint a second connection publishes them pipelined); ` +
        `msgs/s delivered to the callback from the first to the last; ` +
        `every message checked once and in order.`,
    },
    sizes: {
      full: { ops: perFrame === 1 ? 5000 : 20000, size: 100, batch: perFrame },
      quick: { ops: perFrame === 1 ? 2000 : 5000, size: 100, batch: perFrame },
    },
    weight: 1.5,
    async prepare(ctx) {
      if (ctx.setup.endpoint.kind !== 'local' && !ctx.publisher)
        throw new Error('subscribe throughput needs the helper publisher');
      const c = ctx.sdk.realtime({ ...ctx.setup, echo: false });
      await c.whenConnected();
      return c;
    },
    async sample(ctx, p, c) {
      const ch = `${p.channelPrefix}-sub`;
      const t = new SequenceTracker(p.ops, ctx.now);
      const states: string[] = [];
      const off = c.onState((st) => states.push(`${st}@${t.received}`));
      await c.subscribe(ch, (m) => t.add(Number(m.name)));
      const sent =
        ctx.setup.endpoint.kind === 'local'
          ? (
              (await ctx.labHook('channels/blast', {
                channel: ch,
                count: String(p.ops),
                size: String(p.size),
                perFrame: String(p.batch),
              })) as { published: number }
            ).published
          : await ctx.publisher!.publishSequence(ch, p.ops, { batch: p.batch, size: p.size });
      await t.waitFor(sent, STREAM_IDLE_TIMEOUT_MS);
      off();
      const r = t.result();
      // Connection state changes during the sample explain most integrity failures.
      const integrity = states.length && r.detail ? { ...r, detail: `${r.detail}; states ${states.join(' ')}` } : r;
      return { kind: 'stream', messages: Math.max(0, t.received - 1), elapsedMs: t.lastAt - t.firstAt, integrity };
    },
    release: (c) => c.close(),
    primary: streamRate,
  };
}

export const subscribeThroughputScenarios = [subscribeThroughput(1), subscribeThroughput(10)];
