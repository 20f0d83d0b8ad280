/** WebSocket round trip: on a connected client, attach a new channel and publish one message until ACKed. */
import { p50, payload, timeOps, type WorkerScenario } from './scenario';

export const wsRoundtrip: WorkerScenario<void> = {
  kind: 'worker',
  meta: {
    id: 'ws-roundtrip',
    title: 'WebSocket round trip (attach + publish→ACK)',
    group: 'latency',
    unit: 'ms',
    better: 'lower',
    claim: 'speed',
    description:
      'Connected client (connect untimed): per op, attach a fresh channel and publish one 100 B message, until ACKed; p50 per sample.',
  },
  // A p50 of 15 exchanges varied ±20–30% from round to round; of 45, ±6–13% (pinned A/A js'/js,
  // docs/method.md). Full runs keep the same factor over quick.
  sizes: { full: { ops: 120, size: 100, batch: 1 }, quick: { ops: 45, size: 100, batch: 1 } },
  weight: 1,
  async sample(ctx, p) {
    const c = ctx.sdk.realtime({ ...ctx.setup, echo: false });
    await c.whenConnected();
    const msg = [{ name: '0', data: payload(p.size) }];
    try {
      return await timeOps(ctx, p.ops, async (i) => {
        const ch = `${p.channelPrefix}-${i}`;
        await c.attach(ch);
        await c.publish(ch, msg);
      });
    } finally {
      await c.close();
    }
  },
  primary: p50,
};
