/** REST publish, single message and batch of 10, at 100 / 1,000 / 10,000 bytes. */
import type { RestHandle } from '../../sdk-adapters/adapter';
import { opsRate, payload, timeOps, type WorkerScenario } from './scenario';

function restPublish(batch: 1 | 10, size: 100 | 1000 | 10000): WorkerScenario<RestHandle> {
  const kind = batch === 1 ? 'single' : 'batch10';
  return {
    kind: 'worker',
    meta: {
      id: `rest-publish-${kind}-${size}`,
      title: `REST publish ${batch === 1 ? 'single' : 'batch of 10'}, ${size.toLocaleString('en')} B`,
      group: 'throughput',
      unit: 'ops/s',
      better: 'higher',
      claim: 'speed',
      ...(batch * size > 65536
        ? {
            notApplicable:
              `a batch of ${batch} × ${size} B exceeds the 65,536 B limit on one publish ` +
              `(Ably maxMessageSize, TO3l8; the local server enforces the same)`,
          }
        : {}),
      description:
        `Sequential REST publishes (one POST each, ${batch} message${batch > 1 ? 's' : ''} of ${size} B), ` +
        `ops/s over the sample; per-op latency recorded.`,
    },
    sizes: { full: { ops: 50, size, batch }, quick: { ops: 20, size, batch } },
    weight: 1,
    async prepare(ctx) {
      return ctx.sdk.rest(ctx.setup);
    },
    async sample(ctx, p, rest) {
      const msgs = Array.from({ length: p.batch }, (_, i) => ({ name: String(i), data: payload(p.size) }));
      return timeOps(ctx, p.ops, () => rest.publish(`${p.channelPrefix}`, msgs));
    },
    async release(rest) {
      rest.close();
    },
    primary: opsRate,
  };
}

export const restPublishScenarios = ([1, 10] as const).flatMap((b) =>
  ([100, 1000, 10000] as const).map((s) => restPublish(b, s)),
);
