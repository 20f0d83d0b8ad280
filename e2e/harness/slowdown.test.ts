import { describe, expect, it } from 'vitest';
import type { RealtimeHandle, RestHandle, SdkAdapter } from '../../src/sdk-adapters/adapter';
import { slowAdapter } from './slowdown';

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
    const slow = slowAdapter(fakeSdk(clock, 2), 1.5, now);
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
    const slow = slowAdapter(fakeSdk(clock, 2), 2, now, () => active);
    await (await slow.rest(setup)).publish('ch', []);
    expect(clock.t).toBeLessThan(2.01);
    active = true;
    const t0 = clock.t;
    await (await slow.rest(setup)).publish('ch', []);
    expect(clock.t - t0).toBeGreaterThanOrEqual(4 - 0.01);
    expect(() => slowAdapter(fakeSdk({ t: 0 }, 1), 0.5)).toThrow(/> 1/);
  });
});
