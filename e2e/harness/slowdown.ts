/**
 * TEST-ONLY slowdown (`npm run lab -- --test-slowdown js=1.5`, on the test build): makes one arm
 * slower on purpose, in the arm's worker but OUTSIDE the SDK, so the regression gate's end-to-end
 * test can watch the gate fail (src/gate/e2e.test.ts). The test arm applies it (test-arm.ts);
 * runs that use it say so in results.environment.notes. Never a measurement.
 *
 * How: the arm's SdkAdapter is wrapped; every handle method that returns a promise (publish,
 * attach, whenConnected, subscribe, close) is timed, and when it settles the worker busy-waits
 * (factor − 1) × its duration before resolving — a calibrated per-operation slowdown, so an
 * operation the scenario times takes ≈ factor × as long (pipelined operations: at least that).
 * Message delivery to subscribers is not slowed, nor anything while `active()` is false (the
 * test arm turns it off for cold start).
 */
import { spinFor } from '../../src/lab/timer';
import type { RealtimeHandle, RestHandle, SdkAdapter } from '../../src/sdk-adapters/adapter';

function slowHandle<T extends object>(h: T, factor: number, now: () => number, active: () => boolean): T {
  return new Proxy(h, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const t0 = now();
        const r = (v as (...a: unknown[]) => unknown).apply(target, args);
        if (!(r instanceof Promise) || !active()) return r;
        return r.then((x) => {
          spinFor((factor - 1) * (now() - t0), now);
          return x;
        });
      };
    },
  });
}

/** `sdk` with every async handle operation slowed by `factor` (> 1); everything else passes through. */
export function slowAdapter(
  sdk: SdkAdapter,
  factor: number,
  now: () => number = () => performance.now(),
  active: () => boolean = () => true,
): SdkAdapter {
  if (!(factor > 1) || !Number.isFinite(factor)) throw new Error(`test slowdown factor must be > 1, got ${factor}`);
  const rest: SdkAdapter['rest'] = async (setup) => slowHandle<RestHandle>(await sdk.rest(setup), factor, now, active);
  const realtime: SdkAdapter['realtime'] = (options) =>
    slowHandle<RealtimeHandle>(sdk.realtime(options), factor, now, active);
  return new Proxy(sdk, {
    get(target, prop, receiver) {
      if (prop === 'rest') return rest;
      if (prop === 'realtime') return realtime;
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
