/** Channel attach time on a connected client (ATTACH → ATTACHED), sequential. */
import { p50, timeOps, type WorkerScenario } from './scenario';

export const attach: WorkerScenario<void> = {
  kind: 'worker',
  meta: {
    id: 'attach',
    title: 'Channel attach',
    group: 'latency',
    unit: 'ms',
    better: 'lower',
    claim: 'speed',
    description:
      'A fresh client per sample (connect untimed), then fresh channels attached one after another; p50 per sample.',
  },
  sizes: { full: { ops: 50, size: 0, batch: 1 }, quick: { ops: 20, size: 0, batch: 1 } },
  weight: 1,
  async sample(ctx, p) {
    const c = ctx.sdk.realtime({ ...ctx.setup, echo: false });
    await c.whenConnected();
    try {
      return await timeOps(ctx, p.ops, (i) => c.attach(`${p.channelPrefix}-${i}`));
    } finally {
      await c.close();
    }
  },
  primary: p50,
};
