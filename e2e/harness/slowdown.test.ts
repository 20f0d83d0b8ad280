import { describe, expect, it } from 'vitest';
import type { RealtimeHandle, RestHandle, SdkAdapter } from '../../src/sdk-adapters/adapter';
import { slowdown } from './slowdown';

/** A socket with `onmessage` as an accessor on its prototype, as the platform's WebSocket has. */
class FakeSocket {
  #handler: ((ev: { data: string }) => void) | null = null;
  constructor(readonly url: string) {}
  get onmessage() {
    return this.#handler;
  }
  set onmessage(h) {
    this.#handler = h;
  }
  receive(data: string) {
    this.#handler?.({ data });
  }
}

/** A fake SDK whose publish takes `ms` of (virtual) time. */
function fakeSdk(clock: { t: number }, ms: number): SdkAdapter {
  const rest: RestHandle = {
    publish: async () => {
      clock.t += ms;
    },
    close: () => undefined,
  };
  const rt = {
    whenConnected: async () => undefined,
    connectionId: () => 'c1',
    onState: () => () => undefined,
    attach: async () => undefined,
    subscribe: async () => undefined,
    publish: async () => {
      clock.t += ms;
    },
    close: async () => undefined,
  } satisfies RealtimeHandle;
  // Only what the knob touches; the rest of SdkAdapter passes through untouched.
  return {
    sdk: 'js',
    version: 'fake',
    protocols: ['json'],
    rest: async () => rest,
    realtime: () => rt,
    wasmMemoryBytes: () => 7,
  } as unknown as SdkAdapter;
}

const setup = {
  endpoint: { kind: 'local', host: '127.0.0.1', port: 1, tls: false },
  key: 'a.b:c',
  protocol: 'json',
  clientId: 'x',
} as const;

describe('test-only slowdown knob', () => {
  it('makes every awaited operation take factor × its own time (busy-wait after it settles)', async () => {
    // A virtual clock the spin advances, so the test is exact and instant.
    const clock = { t: 0 };
    const now = () => (clock.t += 0.001);
    const slow = slowdown(1.5, now).adapter(fakeSdk(clock, 2));
    const t0 = clock.t;
    await (await slow.rest(setup)).publish('ch', [{ name: 'a', data: 'b' }]);
    expect(clock.t - t0).toBeGreaterThanOrEqual(3 - 0.01);
    expect(clock.t - t0).toBeLessThan(3.1);
    const rt = slow.realtime({ ...setup, echo: false });
    const t1 = clock.t;
    await rt.publish('ch', []);
    expect(clock.t - t1).toBeGreaterThanOrEqual(3 - 0.01);
    // Synchronous calls pass through untouched; the adapter's identity is kept.
    expect(rt.connectionId()).toBe('c1');
    expect(slow.sdk).toBe('js');
    expect(slow.wasmMemoryBytes()).toBe(7);
  });

  it('leaves the unwrapped adapter as fast as before', async () => {
    const clock = { t: 0 };
    const sdk = fakeSdk(clock, 2);
    await (await sdk.rest(setup)).publish('ch', []);
    expect(clock.t).toBe(2);
  });

  it('passes through while inactive (cold start), and rejects a factor that would not slow', async () => {
    const clock = { t: 0 };
    const now = () => (clock.t += 0.001);
    let active = false;
    const slow = slowdown(2, now, () => active).adapter(fakeSdk(clock, 2));
    await (await slow.rest(setup)).publish('ch', []);
    expect(clock.t).toBeLessThan(2.01);
    active = true;
    const t0 = clock.t;
    await (await slow.rest(setup)).publish('ch', []);
    expect(clock.t - t0).toBeGreaterThanOrEqual(4 - 0.01);
    expect(() => slowdown(0.5)).toThrow(/> 1/);
  });

  // Seen in `npm run bench:sensitivity`: with js slowed by 5%, pipelined publish (thousands in
  // flight) and 1,000 concurrent attaches timed out after 30 s, because each operation spun for
  // (factor − 1) × its whole time in the queue. Overlapping operations share the wall time.
  it('slows overlapping operations by the factor in total, not each by its time in the queue', async () => {
    const clock = { t: 0 };
    const now = () => {
      // Before the fix the spins compounded (each one counted the ones before it): stop, don't hang.
      if (clock.t > 10_000) throw new Error(`spun to ${Math.round(clock.t)} ms for 100 ms of work`);
      return (clock.t += 0.001);
    };
    const queued: (() => void)[] = [];
    const sdk = fakeSdk(clock, 0);
    const pipelined = {
      ...sdk,
      realtime: () => ({ ...sdk.realtime({} as never), publish: () => new Promise<void>((r) => queued.push(r)) }),
    } as SdkAdapter;
    const rt = slowdown(1.5, now)
      .adapter(pipelined)
      .realtime({ ...setup, echo: false });
    const t0 = clock.t;
    const all = Promise.all(Array.from({ length: 100 }, () => rt.publish('ch', [])));
    // The "server" ACKs one publish per millisecond, in order.
    for (const ack of queued) {
      clock.t += 1;
      ack();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
    await all;
    expect(clock.t - t0).toBeGreaterThan(150 - 1);
    expect(clock.t - t0).toBeLessThan(150 + 5);
  });

  // Without this the subscribe rows (gated on CPU per message) could not be tested for
  // sensitivity: the knob left the receiving of messages at full speed.
  it('slows each received frame: its handler is followed by (factor − 1) × its duration', () => {
    const clock = { t: 0 };
    const now = () => (clock.t += 0.001);
    const Slowed = slowdown(1.5, now).webSocket(FakeSocket);
    const ws = new Slowed('ws://x');
    const seen: unknown[] = [];
    const handler = (ev: { data: string }) => {
      clock.t += 2; // the SDK decodes the frame and delivers its messages
      seen.push(ev.data);
    };
    ws.onmessage = handler;
    expect(ws.onmessage).toBe(handler); // the SDK reads back what it set
    expect(ws.url).toBe('ws://x');
    const t0 = clock.t;
    for (let i = 0; i < 10; i++) {
      ws.receive(String(i));
      clock.t += 5; // waiting for the next frame: not the SDK's work, not slowed
    }
    expect(seen).toHaveLength(10);
    expect(clock.t - t0).toBeGreaterThan(80 - 0.1);
    expect(clock.t - t0).toBeLessThan(80 + 0.5);
    ws.onmessage = null;
    ws.receive('after');
    expect(seen).toHaveLength(10);
  });

  it('an operation settled by a received frame is slowed by the factor once, not twice', async () => {
    const clock = { t: 0 };
    const now = () => (clock.t += 0.001);
    const knob = slowdown(1.5, now);
    const ws = new (knob.webSocket(FakeSocket))('ws://x');
    let ack: () => void = () => undefined;
    const sdk = fakeSdk(clock, 0);
    const acked = {
      ...sdk,
      realtime: () => ({ ...sdk.realtime({} as never), publish: () => new Promise<void>((r) => (ack = r)) }),
    } as SdkAdapter;
    ws.onmessage = () => {
      clock.t += 2; // the ACK frame's handling
      ack();
    };
    const rt = knob.adapter(acked).realtime({ ...setup, echo: false });
    const t0 = clock.t;
    const published = rt.publish('ch', []);
    clock.t += 8; // the round trip
    ws.receive('ack');
    await published;
    expect(clock.t - t0).toBeGreaterThan(15 - 0.1);
    expect(clock.t - t0).toBeLessThan(15 + 0.5);
  });
});
