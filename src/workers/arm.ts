/// <reference lib="webworker" />
/**
 * The shared harness of every arm worker: runs scenarios against the arm's SdkAdapter, timing
 * inside the worker, and answers the page over Comlink (ArmWorkerApi).
 */
import * as Comlink from 'comlink';
import { SequenceTracker } from '../lab/integrity';
import { scenarioById } from '../lab/scenarios/index';
import type { MemoryScenario, Publisher, ScenarioContext, WorkerScenario } from '../lab/scenarios/scenario';
import { spinFor, timerGranularityUs } from '../lab/timer';
import type { ClientSetup, Integrity, Measurement, SdkKind } from '../lab/types';
import { type AdapterLoader, baseUrls, basicAuth, type SdkAdapter } from '../sdk-adapters/adapter';
import type { ArmWorkerApi, BundleSize } from './arm-contract';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function makeContext(sdk: SdkAdapter, setup: ClientSetup, publisher: Publisher | undefined): ScenarioContext {
  const { http } = baseUrls(setup);
  const auth = basicAuth(setup.key);
  return {
    sdk,
    setup,
    publisher,
    now: () => performance.now(),
    sleep,
    async labHook(path, query = {}) {
      if (setup.endpoint.kind !== 'local') throw new Error('lab hooks need the local server');
      const res = await fetch(`${http}/lab/${path}?${new URLSearchParams(query)}`, {
        method: 'POST',
        headers: { authorization: auth },
      });
      if (!res.ok) throw new Error(`lab hook ${path}: HTTP ${res.status}`);
      return res.json();
    },
    async verifyHistory(channel, expected): Promise<Integrity> {
      const t = new SequenceTracker(expected, () => 0);
      let url: string | undefined =
        `${http}/channels/${encodeURIComponent(channel)}/messages?direction=forwards&limit=1000`;
      while (url) {
        const res: Response = await fetch(url, { headers: { authorization: auth, accept: 'application/json' } });
        if (!res.ok) throw new Error(`history: HTTP ${res.status}`);
        const items = (await res.json()) as { name?: string }[];
        for (const m of items) t.add(Number(m.name));
        const next: RegExpMatchArray | null | undefined = res.headers.get('link')?.match(/<([^>]+)>;\s*rel="next"/);
        url =
          next && items.length
            ? new URL(next[1]!, `${http}/channels/${encodeURIComponent(channel)}/messages`).href
            : undefined;
      }
      return t.result();
    },
  };
}

/** Serves the arm over Comlink: what every `*.worker.ts` entry calls. */
export function serveArm(sdk: SdkKind, load: AdapterLoader): void {
  Comlink.expose(armApi(sdk, load));
}

/** The arm's API over the SDK that `load` brings (e2e/harness/test-arm.ts wraps it for tests). */
export function armApi(sdk: SdkKind, load: AdapterLoader): ArmWorkerApi {
  let adapter: SdkAdapter | undefined;
  let loadMs = NaN;
  let ctx: ScenarioContext | undefined;
  const states = new Map<string, unknown>();
  const built = new Map<string, () => Promise<void>>();

  const ensureLoaded = async () => {
    if (!adapter) {
      const t0 = performance.now();
      adapter = await load();
      loadMs = performance.now() - t0;
    }
    return adapter;
  };
  const need = () => {
    if (!ctx) throw new Error('worker not configured');
    return ctx;
  };
  const workerScenario = (id: string) => {
    const s = scenarioById(id);
    if (s?.kind !== 'worker') throw new Error(`no worker scenario ${id}`);
    return s as WorkerScenario<unknown>;
  };

  const api: ArmWorkerApi = {
    async hello() {
      const a = await ensureLoaded();
      return {
        sdk,
        sdkVersion: a.version,
        crossOriginIsolated: self.crossOriginIsolated,
        timerGranularityUs: timerGranularityUs(() => performance.now()),
        loadMs,
        scriptUrl: self.location.href,
      };
    },
    async configure(setup, port) {
      const a = await ensureLoaded();
      if (!a.protocols.includes(setup.protocol)) throw new Error(`${sdk} does not support ${setup.protocol}`);
      const publisher = port ? (Comlink.wrap<Publisher>(port) as unknown as Publisher) : ctx?.publisher;
      ctx = makeContext(a, setup, publisher);
    },
    async prepare(id, params) {
      const s = workerScenario(id);
      states.set(id, s.prepare ? await s.prepare(need(), params) : undefined);
    },
    async sample(id, params) {
      const s = workerScenario(id);
      const m: Measurement = await s.sample(need(), params, states.get(id));
      return m.kind === 'ops' ? Comlink.transfer(m, [m.latenciesMs.buffer]) : m;
    },
    async release(id) {
      const s = workerScenario(id);
      const st = states.get(id);
      states.delete(id);
      if (s.release) await s.release(st);
    },
    async build(id, params) {
      const s = scenarioById(id) as MemoryScenario | undefined;
      if (s?.kind !== 'memory') throw new Error(`no memory scenario ${id}`);
      const r = await s.build(need(), params);
      built.set(id, r.release);
      return { objects: r.objects, wasmBytes: adapter!.wasmMemoryBytes() };
    },
    async unbuild(id) {
      const release = built.get(id);
      built.delete(id);
      await release?.();
    },
    async coldStart(setup) {
      const a = await ensureLoaded();
      const t0 = performance.now();
      const c = a.realtime({ ...setup, echo: false });
      await c.whenConnected();
      const connectMs = performance.now() - t0;
      await c.close();
      return { loadMs, connectMs };
    },
    async bundle(): Promise<BundleSize> {
      const urls = [self.location.href, ...performance.getEntriesByType('resource').map((e) => e.name)].filter(
        (u) => /\.(m?js|wasm)(\?|$)/.test(new URL(u).pathname) || u === self.location.href,
      );
      let bytes = 0;
      let gzipBytes = 0;
      for (const u of new Set(urls)) {
        const body = new Uint8Array(await (await fetch(u)).arrayBuffer());
        bytes += body.length;
        const gz = new Response(new Blob([body]).stream().pipeThrough(new CompressionStream('gzip')));
        gzipBytes += (await gz.arrayBuffer()).byteLength;
      }
      return { urls: [...new Set(urls)], bytes, gzipBytes };
    },
    async gc() {
      const g = (globalThis as { gc?: () => void }).gc;
      if (!g) return false;
      g();
      g();
      return true;
    },
    async spin(ms) {
      spinFor(ms);
    },
    async wasmMemory() {
      return { reserved: adapter?.wasmMemoryBytes() ?? 0, live: adapter?.wasmHeapBytes?.() ?? 0 };
    },
  };
  return api;
}
