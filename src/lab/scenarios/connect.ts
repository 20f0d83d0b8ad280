/** Realtime connect time: new client → `connected`, with a gap between connects (docs/method.md). */
import { CONNECT_GAP_MS } from '../defaults';
import type { RealtimeHandle } from '../../sdk-adapters/adapter';
import { p50, timeOps, type WorkerScenario } from './scenario';

export const connect: WorkerScenario<void> = {
  kind: 'worker',
  meta: {
    id: 'connect',
    title: 'Realtime connect (new client → connected)',
    group: 'latency',
    unit: 'ms',
    better: 'lower',
    claim: 'speed',
    description:
      `A new realtime client until \`connected\`; the client is closed and ${CONNECT_GAP_MS} ms pass before the next connect ` +
      `(Chromium throttles back-to-back connects), same for every arm; p50 per sample.`,
  },
  sizes: { full: { ops: 10, size: 0, batch: 1 }, quick: { ops: 5, size: 0, batch: 1 } },
  weight: 1,
  async sample(ctx, p) {
    let c: RealtimeHandle | undefined;
    return timeOps(
      ctx,
      p.ops,
      async () => {
        c = ctx.sdk.realtime({ ...ctx.setup, echo: false });
        await c.whenConnected();
      },
      async () => {
        await c?.close();
        await ctx.sleep(CONNECT_GAP_MS);
      },
    );
  },
  primary: p50,
};
