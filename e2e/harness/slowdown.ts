/**
 * TEST-ONLY slowdown (`npm run lab -- --test-slowdown js=1.5`, on the test build): makes one arm
 * slower on purpose, in the arm's worker but OUTSIDE the SDK, so the regression gate's end-to-end
 * test can watch the gate fail (src/gate/e2e.test.ts). The test arm applies it (test-arm.ts);
 * runs that use it say so in results.environment.notes. Never a measurement.
 *
 * How: the arm's SdkAdapter is wrapped; every handle method that returns a promise (publish,
 * attach, whenConnected, subscribe, close) is timed, and when it settles the worker busy-waits
 * (factor − 1) × the wall time it took that no earlier spin has already been charged for — a
 * calibrated slowdown, so an operation the scenario times takes ≈ factor × as long, and so do
 * overlapping ones (pipelined publishes, concurrent attaches) in total. Charging each overlapping
 * operation for its whole time in the queue would compound: 5% on 6,000 pipelined publishes
 * took over 30 s.
 * Message delivery to subscribers is not slowed, nor anything while `active()` is false (the
 * test arm turns it off for cold start).
 */
import { spinFor } from '../../src/lab/timer';
import type { RealtimeHandle, RestHandle, SdkAdapter } from '../../src/sdk-adapters/adapter';

/** The arm's wall time already slowed: one per adapter, since all its handles share the worker thread. */
interface Charged {
  until: number;
}

function slowHandle<T extends object>(
  h: T,
  factor: number,
  now: () => number,
  active: () => boolean,
  charged: Charged,
): T {
  return new Proxy(h, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const t0 = now();
        const r = (v as (...a: unknown[]) => unknown).apply(target, args);
        if (!(r instanceof Promise) || !active()) return r;
        return r.then((x) => {
          const t = now();
          spinFor((factor - 1) * Math.max(0, t - Math.max(t0, charged.until)), now);
          charged.until = now();
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
  const charged: Charged = { until: -Infinity };
  const rest: SdkAdapter['rest'] = async (setup) =>
    slowHandle<RestHandle>(await sdk.rest(setup), factor, now, active, charged);
  const realtime: SdkAdapter['realtime'] = (options) =>
    slowHandle<RealtimeHandle>(sdk.realtime(options), factor, now, active, charged);
  return new Proxy(sdk, {
    get(target, prop, receiver) {
      if (prop === 'rest') return rest;
      if (prop === 'realtime') return realtime;
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
