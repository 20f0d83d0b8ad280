/// <reference lib="webworker" />
/**
 * A test arm: the real arm (src/workers/arm.ts over the real SdkAdapter) with test behaviour added
 * around the SDK, never inside it. Options arrive in the worker's name (options.ts):
 *
 * - `slowdown`: every awaited SDK operation takes `factor` × as long, and so does the SDK's work on
 *   every received frame (slowdown.ts; not during cold start). `npm run bench:sensitivity` measures
 *   with it what the gate catches (src/cli/bench-sensitivity.ts).
 * - `fault`, in every sample of one scenario: `discard` has the local server drop the next N
 *   MESSAGE frames of the sample's channel to this subscriber, through the server's own lab hook
 *   (`POST /lab/connections/discard-next`), armed right after the subscription; `duplicateLast`
 *   hands the sample's last message to the listener twice. The lab's integrity check must fail
 *   that scenario and let the run go on (e2e/lab.spec.ts, e2e/lab-cli.spec.ts).
 */
import * as Comlink from 'comlink';
import type { TestFault } from '../../src/cli/test-harness';
import type { SdkKind } from '../../src/lab/types';
import {
  type AdapterLoader,
  baseUrls,
  basicAuth,
  type RealtimeHandle,
  type RealtimeOptions,
  type SdkAdapter,
} from '../../src/sdk-adapters/adapter';
import { armApi } from '../../src/workers/arm';
import type { ArmWorkerApi } from '../../src/workers/arm-contract';
import { testArmOptions } from './options';
import { slowdown as slowdownKnob } from './slowdown';

/** The sample running now: which scenario, how many messages. */
type Sampling = { scenario: string; ops: number } | undefined;

/** Passes everything through but `realtime`, whose handles get `subscribe` replaced. */
function withSubscribe(
  sdk: SdkAdapter,
  subscribe: (h: RealtimeHandle, options: RealtimeOptions) => RealtimeHandle['subscribe'],
): SdkAdapter {
  const bound = <T extends object>(target: T, prop: string | symbol) => {
    const v = Reflect.get(target, prop) as unknown;
    return typeof v === 'function' ? v.bind(target) : v;
  };
  const realtime: SdkAdapter['realtime'] = (options) => {
    const h = sdk.realtime(options);
    const sub = subscribe(h, options);
    return new Proxy(h, { get: (target, prop) => (prop === 'subscribe' ? sub : bound(target, prop)) });
  };
  return new Proxy(sdk, { get: (target, prop) => (prop === 'realtime' ? realtime : bound(target, prop)) });
}

/** `sdk` with `fault` injected whenever a sample of its scenario subscribes. */
function withFault(sdk: SdkAdapter, fault: TestFault, sampling: () => Sampling): SdkAdapter {
  return withSubscribe(sdk, (h, options) => async (channel, listener) => {
    const s = sampling();
    if (s?.scenario !== fault.scenario) return h.subscribe(channel, listener);
    const last = String(s.ops - 1);
    await h.subscribe(
      channel,
      fault.duplicateLast
        ? (m) => {
            listener(m);
            if (m.name === last) listener(m);
          }
        : listener,
    );
    if (fault.discard) {
      const id = h.connectionId();
      const query = new URLSearchParams({ n: String(fault.discard), channel, ...(id ? { connectionId: id } : {}) });
      const res = await fetch(`${baseUrls(options).http}/lab/connections/discard-next?${query}`, {
        method: 'POST',
        headers: { authorization: basicAuth(options.key) },
      });
      if (!res.ok) throw new Error(`test fault: discard-next answered HTTP ${res.status}`);
    }
  });
}

/** What a test arm's `*.worker.ts` entry calls instead of serveArm. */
export function serveTestArm(sdk: SdkKind, load: AdapterLoader): void {
  const { slowdown, fault } = testArmOptions(self.name);
  let sampling: Sampling;
  let coldStart = false;
  const knob = slowdown ? slowdownKnob(slowdown, undefined, () => !coldStart) : undefined;
  // Before the SDK loads: ably-js keeps the WebSocket constructor it finds then.
  if (knob) self.WebSocket = knob.webSocket(self.WebSocket);
  const api = armApi(sdk, async () => {
    let a = await load();
    if (knob) a = knob.adapter(a);
    return fault ? withFault(a, fault, () => sampling) : a;
  });
  const tested: ArmWorkerApi = {
    ...api,
    async sample(id, params) {
      sampling = { scenario: id, ops: params.ops };
      try {
        return await api.sample(id, params);
      } finally {
        sampling = undefined;
      }
    },
    async coldStart(setup) {
      coldStart = true;
      try {
        return await api.coldStart(setup);
      } finally {
        coldStart = false;
      }
    },
  };
  Comlink.expose(tested);
}
