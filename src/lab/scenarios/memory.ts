/**
 * Memory scenarios: the worker builds a state; the runner reads the worker's memory (JS heap
 * after forced GC + wasm linear memory) before and after and reports the difference. WebAssembly
 * linear memory never shrinks: a wasm arm's later samples reuse the space the first one grew.
 */
import { STREAM_IDLE_TIMEOUT_MS } from '../defaults';
import { SequenceTracker } from '../integrity';
import type { MemoryScenario } from './scenario';

const common = { group: 'memory', unit: 'bytes', better: 'lower', claim: 'memory' } as const;

export const memoryIdle: MemoryScenario = {
  kind: 'memory',
  meta: {
    ...common,
    id: 'memory-idle-client',
    title: 'Memory: idle connected client',
    description:
      'One realtime client, connected, no channels: worker memory over the baseline before the client existed.',
  },
  sizes: { full: { ops: 1, size: 0, batch: 1 }, quick: { ops: 1, size: 0, batch: 1 } },
  weight: 0.7,
  async build(ctx) {
    const c = ctx.sdk.realtime({ ...ctx.setup, echo: false });
    await c.whenConnected();
    return { objects: 1, release: () => c.close() };
  },
};

export const memoryChannels: MemoryScenario = {
  kind: 'memory',
  meta: {
    ...common,
    id: 'memory-1000-channels',
    title: 'Memory: 1,000 attached channels',
    description:
      'One connected client with 1,000 channels attached (all ATTACHED): memory over the baseline before the client existed.',
  },
  sizes: { full: { ops: 1000, size: 0, batch: 1 }, quick: { ops: 1000, size: 0, batch: 1 } },
  weight: 1,
  async build(ctx, p) {
    const c = ctx.sdk.realtime({ ...ctx.setup, echo: false });
    await c.whenConnected();
    await Promise.all(Array.from({ length: p.ops }, (_, i) => c.attach(`${p.channelPrefix}-m${i}`)));
    return { objects: p.ops, release: () => c.close() };
  },
};

export const memoryAfterMessages: MemoryScenario = {
  kind: 'memory',
  meta: {
    ...common,
    id: 'memory-after-10k-messages',
    title: 'Memory: after 10,000 messages received',
    description:
      'A connected, subscribed client receives 10,000 messages of 100 B (10 per frame, second connection); ' +
      'memory retained after GC over the baseline (leak check).',
  },
  sizes: { full: { ops: 10000, size: 100, batch: 10 }, quick: { ops: 10000, size: 100, batch: 10 } },
  weight: 1,
  async build(ctx, p) {
    if (!ctx.publisher) throw new Error('needs the helper publisher');
    const c = ctx.sdk.realtime({ ...ctx.setup, echo: false });
    await c.whenConnected();
    const ch = `${p.channelPrefix}-leak`;
    const t = new SequenceTracker(p.ops, ctx.now);
    await c.subscribe(ch, (m) => t.add(Number(m.name)));
    const sent = await ctx.publisher.publishSequence(ch, p.ops, { batch: p.batch, size: p.size });
    await t.waitFor(sent, STREAM_IDLE_TIMEOUT_MS);
    if (t.result().lost) throw new Error(`lost ${t.result().lost} of ${p.ops} messages`);
    return { objects: p.ops, release: () => c.close() };
  },
};

export const memoryScenarios = [memoryIdle, memoryChannels, memoryAfterMessages];
