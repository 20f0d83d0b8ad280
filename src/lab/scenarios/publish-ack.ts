/** publish → ACK latency on an attached channel, one message in flight at a time. */
import type { RealtimeHandle } from '../../sdk-adapters/adapter';
import { p50, payload, timeOps, type WorkerScenario } from './scenario';

export const publishAck: WorkerScenario<{ c: RealtimeHandle; ch: string }> = {
  kind: 'worker',
  meta: {
    id: 'publish-ack-latency',
    title: 'Publish → ACK latency',
    group: 'latency',
    unit: 'ms',
    better: 'lower',
    claim: 'speed',
    description:
      'Connected, attached client: sequential 100 B publishes, each awaited until ACKed; p50 per sample (p95/p99 reported).',
  },
  sizes: { full: { ops: 500, size: 100, batch: 1 }, quick: { ops: 150, size: 100, batch: 1 } },
  weight: 1,
  async prepare(ctx, p) {
    const c = ctx.sdk.realtime({ ...ctx.setup, echo: false });
    await c.whenConnected();
    const ch = `${p.channelPrefix}-ack`;
    await c.attach(ch);
    return { c, ch };
  },
  async sample(ctx, p, { c, ch }) {
    const data = payload(p.size);
    return timeOps(ctx, p.ops, (i) => c.publish(ch, [{ name: String(i), data }]));
  },
  release: ({ c }) => c.close(),
  primary: p50,
};
