/** publish → echo latency: time until the client's own message comes back (echo on). */
import type { RealtimeHandle } from '../../sdk-adapters/adapter';
import { p50, payload, type WorkerScenario } from './scenario';

interface EchoState {
  c: RealtimeHandle;
  ch: string;
  waiting: { name: string; resolve(): void } | undefined;
}

export const publishEcho: WorkerScenario<EchoState> = {
  kind: 'worker',
  meta: {
    id: 'publish-echo-latency',
    title: 'Publish → echo latency',
    group: 'latency',
    unit: 'ms',
    better: 'lower',
    claim: 'speed',
    description:
      'Connected client subscribed to its own channel (echo on): ' +
      'per op, publish 100 B and time until the message is delivered back ' +
      '(the ACK is awaited too, untimed beyond the echo); p50 per sample.',
  },
  sizes: { full: { ops: 500, size: 100, batch: 1 }, quick: { ops: 150, size: 100, batch: 1 } },
  weight: 1,
  async prepare(ctx, p) {
    const c = ctx.sdk.realtime({ ...ctx.setup, echo: true });
    await c.whenConnected();
    const s: EchoState = { c, ch: `${p.channelPrefix}-echo`, waiting: undefined };
    await c.subscribe(s.ch, (m) => {
      if (s.waiting && m.name === s.waiting.name) {
        const w = s.waiting;
        s.waiting = undefined;
        w.resolve();
      }
    });
    return s;
  },
  async sample(ctx, p, s) {
    const ch = s.ch;
    const data = payload(p.size);
    const lat = new Float64Array(p.ops);
    let busy = 0;
    for (let i = 0; i < p.ops; i++) {
      const name = `${p.channelPrefix}:${i}`;
      const t0 = ctx.now();
      const echoed = new Promise<void>((resolve) => (s.waiting = { name, resolve }));
      const acked = s.c.publish(ch, [{ name, data }]);
      await echoed;
      const d = ctx.now() - t0;
      lat[i] = d;
      busy += d;
      await acked;
    }
    return { kind: 'ops', ops: p.ops, elapsedMs: busy, latenciesMs: lat };
  },
  release: (s) => s.c.close(),
  primary: p50,
};
