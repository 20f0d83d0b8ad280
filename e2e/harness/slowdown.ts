/**
 * TEST-ONLY slowdown (`npm run lab -- --test-slowdown js=1.5`, on the test build): makes one arm
 * slower on purpose, in the arm's worker but OUTSIDE the SDK, so the regression gate's end-to-end
 * test can watch the gate fail (src/gate/e2e.test.ts) and `npm run bench:sensitivity` can measure
 * what the gate detects. The test arm applies it (test-arm.ts); runs that use it say so in
 * results.environment.notes. Never a measurement.
 *
 * Two calibrated parts, each aimed at a figure the lab measures, sharing one ledger so that no
 * wall time is slowed twice:
 * - Operations (`adapter`): every handle method that returns a promise (publish, attach,
 *   whenConnected, subscribe, close) is timed, and when it settles the worker busy-waits
 *   (factor − 1) × the wall time it took that nothing has been charged for yet — so an operation
 *   the scenario times takes ≈ factor × as long, and so do overlapping ones (pipelined publishes,
 *   concurrent attaches) in total. Charging each overlapping operation for its whole time in the
 *   queue would compound: 5% on 6,000 pipelined publishes took over 30 s.
 * - Received frames (`webSocket`): every WebSocket `onmessage` handler — the SDK's whole
 *   synchronous work on a frame, decoding and delivering its messages included — is followed by
 *   a busy-wait of (factor − 1) × its duration, so the worker's CPU per received message grows by
 *   the factor (the figure the subscribe rows are gated on), and a stream the SDK cannot keep up
 *   with takes factor × as long. Waiting for the network is not slowed: it is not the SDK's work.
 * Nothing is slowed while `active()` is false (the test arm turns it off for cold start).
 * A spin lasts at least until the clock's next tick (5 µs in a cross-origin isolated worker), so
 * work of a few tens of µs per frame is slowed by more than a factor close to 1 asks: the
 * sensitivity script reports the change it measured beside the factor, for that reason.
 */
import { spinFor } from '../../src/lab/timer';
import type { RealtimeHandle, RestHandle, SdkAdapter } from '../../src/sdk-adapters/adapter';

/** What has been slowed so far: one per worker, since all its handles and sockets share the thread. */
interface Ledger {
  /** Operations' wall time has been charged up to here. */
  until: number;
  /** Wall time (ms, cumulative) of frame handlers and their spins: already slowed, never charged again. */
  handled: number;
  /** `handled` when `until` was set. */
  handledAtUntil: number;
}

export interface Slowdown {
  /** `sdk` with every async handle operation slowed; everything else passes through. */
  adapter(sdk: SdkAdapter): SdkAdapter;
  /** A WebSocket constructor whose sockets' `onmessage` handlers are slowed; install it before the SDK loads. */
  webSocket<C extends new (...args: never[]) => object>(Base: C): C;
}

/** The knob for one worker: slows by `factor` (> 1) whatever it wraps, while `active()`. */
export function slowdown(
  factor: number,
  now: () => number = () => performance.now(),
  active: () => boolean = () => true,
): Slowdown {
  if (!(factor > 1) || !Number.isFinite(factor)) throw new Error(`test slowdown factor must be > 1, got ${factor}`);
  const ledger: Ledger = { until: -Infinity, handled: 0, handledAtUntil: 0 };

  /** Charges an operation that ran from `t0` (when `handled` was `handledAtStart`) until now. */
  const chargeOperation = (t0: number, handledAtStart: number) => {
    const from = Math.max(t0, ledger.until);
    const handledSince = ledger.handled - (ledger.until > t0 ? ledger.handledAtUntil : handledAtStart);
    spinFor((factor - 1) * Math.max(0, now() - from - handledSince), now);
    ledger.until = now();
    ledger.handledAtUntil = ledger.handled;
  };

  const slowHandle = <T extends object>(h: T): T =>
    new Proxy(h, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          const t0 = now();
          const handledAtStart = ledger.handled;
          const r = (v as (...a: unknown[]) => unknown).apply(target, args);
          if (!(r instanceof Promise) || !active()) return r;
          return r.then((x) => {
            chargeOperation(t0, handledAtStart);
            return x;
          });
        };
      },
    });

  const slowFrameHandler = (handler: (this: unknown, ev: unknown) => unknown) =>
    function (this: unknown, ev: unknown) {
      const t0 = now();
      const r = handler.call(this, ev);
      if (active()) {
        spinFor((factor - 1) * (now() - t0), now);
        ledger.handled += now() - t0;
      }
      return r;
    };

  return {
    adapter(sdk) {
      const rest: SdkAdapter['rest'] = async (setup) => slowHandle<RestHandle>(await sdk.rest(setup));
      const realtime: SdkAdapter['realtime'] = (options) => slowHandle<RealtimeHandle>(sdk.realtime(options));
      return new Proxy(sdk, {
        get(target, prop, receiver) {
          if (prop === 'rest') return rest;
          if (prop === 'realtime') return realtime;
          const v = Reflect.get(target, prop, receiver) as unknown;
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
    },
    webSocket(Base) {
      return new Proxy(Base, {
        construct(target, args, newTarget) {
          const socket = Reflect.construct(target, args, newTarget) as object;
          let handler: unknown = null;
          // The SDKs set `onmessage` (ably-js, the Rust shell through web-sys, the raw arm): an own
          // accessor on the socket hands the real one (on the prototype) a slowed handler.
          Object.defineProperty(socket, 'onmessage', {
            get: () => handler,
            set: (h: unknown) => {
              handler = h;
              const slowed = typeof h === 'function' ? slowFrameHandler(h as (ev: unknown) => unknown) : h;
              Reflect.set(target.prototype as object, 'onmessage', slowed, socket);
            },
            configurable: true,
          });
          return socket;
        },
      });
    },
  };
}
