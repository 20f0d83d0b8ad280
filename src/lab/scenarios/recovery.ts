/** Connection recovery: the server drops the subscriber mid-stream (lab fault hook); time until connected again; no message lost. */
import { SAMPLE_TIMEOUT_MS, STREAM_IDLE_TIMEOUT_MS } from '../defaults';
import { SequenceTracker } from '../integrity';
import type { RealtimeHandle } from '../../sdk-adapters/adapter';
import type { WorkerScenario } from './scenario';

export const recovery: WorkerScenario<RealtimeHandle> = {
  kind: 'worker',
  meta: {
    id: 'recovery',
    title: 'Connection recovery (server drop → connected, resumed)',
    group: 'recovery',
    unit: 'ms',
    better: 'lower',
    claim: 'speed',
    needsLabHooks: true,
    description:
      'A second connection streams N messages (10 every 5 ms); ' +
      'after a quarter arrived the server hard-drops the subscriber (POST /lab/connections/drop); ' +
      'time from the drop request until `connected` again; then all N must arrive once, in order (resume replay).',
  },
  sizes: { full: { ops: 400, size: 100, batch: 1 }, quick: { ops: 200, size: 100, batch: 1 } },
  weight: 1,
  async prepare(ctx) {
    if (!ctx.publisher) throw new Error('recovery needs the helper publisher');
    const c = ctx.sdk.realtime({ ...ctx.setup, echo: false });
    await c.whenConnected();
    return c;
  },
  async sample(ctx, p, c) {
    const ch = `${p.channelPrefix}-rec`;
    const t = new SequenceTracker(p.ops, ctx.now);
    await c.subscribe(ch, (m) => t.add(Number(m.name)));
    const idBefore = c.connectionId();
    const stream = ctx.publisher!.publishSequence(ch, p.ops, {
      batch: 1,
      size: p.size,
      chunk: 10,
      paceMs: 5,
    });
    await t.waitFor(Math.ceil(p.ops / 4), STREAM_IDLE_TIMEOUT_MS);
    let off = () => {};
    const back = new Promise<number>((resolve, reject) => {
      let down = false;
      off = c.onState((s) => {
        if (s !== 'connected') down = true;
        else if (down) resolve(ctx.now());
        if (s === 'failed' || s === 'closed') reject(new Error(`connection ${s} during recovery`));
      });
      setTimeout(() => reject(new Error('not reconnected in time')), SAMPLE_TIMEOUT_MS);
    });
    const t0 = ctx.now();
    await ctx.labHook('connections/drop', { connectionId: idBefore ?? 'none' });
    const t1 = await back.finally(off);
    const sent = await stream;
    await t.waitFor(sent, STREAM_IDLE_TIMEOUT_MS);
    return { kind: 'recovery', recoveryMs: t1 - t0, resumed: c.connectionId() === idBefore, integrity: t.result() };
  },
  release: (c) => c.close(),
  primary: (m) => {
    if (m.kind !== 'recovery') throw new Error(`expected recovery, got ${m.kind}`);
    return m.recoveryMs;
  },
};
