/** Realtime publish throughput: N publishes pipelined, timed until all are ACKed; history verifies integrity. */
import type { RealtimeHandle } from '../../sdk-adapters/adapter';
import { payload, streamRate, type WorkerScenario } from './scenario';

export const publishThroughput: WorkerScenario<RealtimeHandle> = {
  kind: 'worker',
  meta: {
    id: 'publish-throughput',
    title: 'Realtime publish throughput (pipelined)',
    group: 'throughput',
    unit: 'msg/s',
    better: 'higher',
    claim: 'speed',
    description:
      'Connected client, fresh attached channel per sample (untimed): ' +
      'N publishes of 100 B issued at once, timed until every one is ACKed; ' +
      'the channel history then must hold 0..N−1 exactly once, in order.',
  },
  // Rounds this long because a round of 2,000 (≈ 60 ms) varied ±10–15% by itself: pinned A/A
  // js'/js spread of log-ratios 0.10–0.15 at 2,000, 0.04–0.13 at 6,000 (docs/method.md). Full
  // runs stop at 10,000: the local server keeps 10,000 messages of history per channel, and the
  // integrity check reads them back.
  sizes: { full: { ops: 10000, size: 100, batch: 1 }, quick: { ops: 6000, size: 100, batch: 1 } },
  weight: 1.5,
  async prepare(ctx) {
    const c = ctx.sdk.realtime({ ...ctx.setup, echo: false });
    await c.whenConnected();
    return c;
  },
  async sample(ctx, p, c) {
    const ch = `${p.channelPrefix}-pub`;
    await c.attach(ch);
    const data = payload(p.size);
    const msgs = Array.from({ length: p.ops }, (_, i) => [{ name: String(i), data }]);
    const t0 = ctx.now();
    const acks: Promise<void>[] = new Array(p.ops);
    for (let i = 0; i < p.ops; i++) acks[i] = c.publish(ch, msgs[i]!);
    await Promise.all(acks);
    const elapsedMs = ctx.now() - t0;
    const integrity = await ctx.verifyHistory(ch, p.ops);
    return { kind: 'stream', messages: p.ops, elapsedMs, integrity };
  },
  release: (c) => c.close(),
  primary: streamRate,
};
