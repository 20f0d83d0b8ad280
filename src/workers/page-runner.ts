/**
 * The page-side lab runner, shared by the lab page and the headless CLI: it creates
 * one dedicated worker per arm (own script URL each) plus the helper publisher, runs every
 * scenario's counterbalanced schedule (arms never concurrent), reads memory and CPU around
 * samples, reports progress through a callback and returns the versioned results object.
 * It uses browser APIs (Worker, fetch, MessageChannel) but no DOM.
 */
import * as Comlink from 'comlink';
import {
  EQUIVALENCE_MARGIN,
  FULL_MAX_ROUNDS,
  FULL_MIN_ROUNDS,
  FULL_WARMUP_ROUNDS,
  QUICK_MAX_ROUNDS,
  QUICK_MIN_ROUNDS,
  QUICK_WARMUP_ROUNDS,
  ARM_ALIVE_TIMEOUT_MS,
  RELEASE_TIMEOUT_MS,
  SAMPLE_TIMEOUT_MS,
} from '../lab/defaults';
import { type ArmRecord, buildResults, comparisonPairs, emptyArmRecord, memoryDelta, recordSample, type ScenarioRecord } from '../lab/report';
import type { ArmV1, LabResultsV1 } from '../lab/results';
import { runSchedule, scenarioDeadline } from '../lab/schedule';
import { SCENARIOS, scenarioById, type Scenario } from '../lab/scenarios/index';
import { timerGranularityUs } from '../lab/timer';
import type { Arm, ClientSetup, Endpoint, Measurement, MemoryReading, Protocol, ScenarioParams, SdkKind, Verdict } from '../lab/types';
import type { ArmHello, ArmWorkerApi, BundleSize, HelperWorkerApi } from './arm-contract';
import type { LabHost, LabProgress, LabRunConfig } from './runner-contract';
import helperUrl from './helper.worker.ts?worker&url';
import jsUrl from './js.worker.ts?worker&url';
import rawUrl from './raw.worker.ts?worker&url';
import rustUrl from './rust.worker.ts?worker&url';
import jsBUrl from './js-b.worker.ts?worker&url';
import rawBUrl from './raw-b.worker.ts?worker&url';
import rustBUrl from './rust-b.worker.ts?worker&url';

/**
 * Worker entry script per SDK (each its own URL, so memory is attributed per arm); `B` = the
 * second copy of an A/A run. Never add a query string to these URLs (see js-b.worker.ts).
 */
export const ARM_SCRIPTS: Partial<Record<SdkKind, string>> = { rust: rustUrl, js: jsUrl, raw: rawUrl };
export const ARM_SCRIPTS_B: Partial<Record<SdkKind, string>> = { rust: rustBUrl, js: jsBUrl, raw: rawBUrl };

export type { LabHost, LabProgress, LabRunConfig } from './runner-contract';

export interface LabRunHooks {
  onProgress?(p: LabProgress): void;
  host?: LabHost;
  /** Checked between rounds; true stops the run (results so far are returned). */
  stopped?(): boolean;
}

interface ArmSlot {
  arm: Arm;
  scriptUrl: string;
  worker: Worker;
  api: Comlink.Remote<ArmWorkerApi>;
  hello: ArmHello;
  workers: ArmV1['workers'];
  bundle: BundleSize | undefined;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms))]);

function spawn(url: string, name: string): { worker: Worker; failed: Promise<never> } {
  const worker = new Worker(url, { type: 'module', name });
  const failed = new Promise<never>((_, reject) => worker.addEventListener('error', (e) => reject(new Error(`worker ${name} failed to load: ${e.message || 'no details (missing COEP header?)'}`))));
  failed.catch(() => undefined);
  return { worker, failed };
}

/** Server CPU (ms, cumulative) from the local server's /lab/metrics; null against a real endpoint. */
async function serverCpuMs(setup: ClientSetup): Promise<number | null> {
  if (setup.endpoint.kind !== 'local') return null;
  const { host, port } = setup.endpoint;
  const res = await fetch(`http://${host}:${port}/lab/metrics`, { headers: { authorization: `Basic ${btoa(setup.key)}` } });
  if (!res.ok) return null;
  const m = (await res.json()) as { cpu?: { userMs: number; systemMs: number } };
  return m.cpu ? m.cpu.userMs + m.cpu.systemMs : null;
}

/** In a plain page: measureUserAgentSpecificMemory bytes attributed to the worker's script URL. */
async function mUASM(scriptUrl: string): Promise<number | undefined> {
  const perf = performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<{ breakdown: { bytes: number; attribution: { url: string; scope: string }[] }[] }> };
  if (!perf.measureUserAgentSpecificMemory || !self.crossOriginIsolated) return undefined;
  const r = await perf.measureUserAgentSpecificMemory();
  let bytes = 0;
  for (const b of r.breakdown) if (b.attribution.some((a) => a.url === scriptUrl)) bytes += b.bytes;
  return bytes;
}

/** Whether the SDKs' HTTP requests leave the page's origin (then every REST call may pay a CORS preflight). */
export function crossOrigin(e: Endpoint): boolean {
  return new URL(`${e.tls ? 'https' : 'http'}://${e.host}:${e.port}`).origin !== location.origin;
}

export function availableArms(): SdkKind[] {
  return (Object.keys(ARM_SCRIPTS) as SdkKind[]).filter((k) => ARM_SCRIPTS[k]);
}

/** Runs the lab; see the module doc. */
export async function runLab(config: LabRunConfig, hooks: LabRunHooks = {}): Promise<LabResultsV1> {
  const started = performance.now();
  const createdAt = new Date();
  const quick = config.quick ?? false;
  const margin = config.margin ?? EQUIVALENCE_MARGIN;
  const sdks = config.arms ?? availableArms();
  for (const s of sdks) if (!ARM_SCRIPTS[s]) throw new Error(`arm ${s} is not available in this build`);
  const arms: Arm[] = config.aa ? [{ id: sdks[0]!, sdk: sdks[0]! }, { id: `${sdks[0]!}'`, sdk: sdks[0]! }] : sdks.map((s) => ({ id: s, sdk: s }));
  const protocols = config.protocols ?? ['json'];
  const scenarios: Scenario[] = (config.scenarios ?? SCENARIOS.map((s) => s.meta.id)).map((id) => {
    const s = scenarioById(id);
    if (!s) throw new Error(`unknown scenario "${id}" (known: ${SCENARIOS.map((x) => x.meta.id).join(', ')})`);
    return s;
  });
  const rounds = {
    warmup: config.rounds?.warmup ?? (quick ? QUICK_WARMUP_ROUNDS : FULL_WARMUP_ROUNDS),
    min: config.rounds?.min ?? (quick ? QUICK_MIN_ROUNDS : FULL_MIN_ROUNDS),
    max: config.rounds?.max ?? (quick ? QUICK_MAX_ROUNDS : FULL_MAX_ROUNDS),
  };
  const host = hooks.host;
  const runId = Math.random().toString(36).slice(2, 8);
  const baseSetup = (protocol: Protocol): ClientSetup => ({ endpoint: config.endpoint, key: config.key, protocol, clientId: 'lab' });

  // Workers: one per arm (distinct script URLs), created up front, plus the helper publisher.
  const helper = spawn(helperUrl, 'lab-helper');
  const helperApi = Comlink.wrap<HelperWorkerApi>(helper.worker);
  const slots: ArmSlot[] = [];
  const startArm = async (arm: Arm, i: number): Promise<ArmSlot> => {
    const scriptUrl = new URL((config.aa && i === 1 ? ARM_SCRIPTS_B : ARM_SCRIPTS)[arm.sdk]!, location.href).href;
    const { worker, failed } = spawn(scriptUrl, `lab-${arm.id}`);
    const api = Comlink.wrap<ArmWorkerApi>(worker);
    try {
      const hello = await withTimeout(Promise.race([api.hello(), failed]), SAMPLE_TIMEOUT_MS, `loading arm ${arm.id}`);
      if (!hello.crossOriginIsolated) throw new Error(`worker ${arm.id} is not cross-origin isolated: timings would be coarse`);
      return { arm, scriptUrl, worker, api, hello, workers: [], bundle: undefined };
    } catch (e) {
      worker.terminate();
      throw e;
    }
  };
  // Find a worker's OS thread (CLI only): a 250 ms spin stands out in /proc.
  const identifyThread = async (s: ArmSlot): Promise<boolean> => {
    await host!.threadSnapshot();
    await s.api.spin(250);
    return host!.threadIdentify(s.arm.id);
  };
  try {
    for (const [i, arm] of arms.entries()) slots.push(await startArm(arm, i));
    await withTimeout(Promise.race([helperApi.configure(baseSetup('json')), helper.failed]), SAMPLE_TIMEOUT_MS, 'helper connect');

    let cpuKnown = false;
    if (host) {
      cpuKnown = true;
      for (const s of slots) cpuKnown = (await identifyThread(s)) && cpuKnown;
    }

    // After a failed scenario: an arm whose worker no longer answers (crashed, or still stuck in
    // the sample that timed out) is replaced by a fresh worker, so the next scenarios still run.
    const reviveArms = async (): Promise<string[]> => {
      const revived: string[] = [];
      for (const [i, s] of slots.entries()) {
        const alive = await withTimeout(s.api.hello(), ARM_ALIVE_TIMEOUT_MS, 'alive').then(() => true, () => false);
        if (alive) continue;
        s.worker.terminate();
        const fresh = await startArm(s.arm, i);
        fresh.workers = s.workers;
        fresh.bundle = s.bundle;
        slots[i] = fresh;
        if (cpuKnown) cpuKnown = await identifyThread(fresh);
        revived.push(s.arm.id);
      }
      return revived;
    };

    const records: ScenarioRecord[] = [];
    const plan = protocols.flatMap((protocol) => scenarios.map((scenario) => ({ protocol, scenario })));
    const runDeadline = started + config.budgetS * 1000;
    const armIndex = new Map(arms.map((a, i) => [a.id, i]));
    const pairs = comparisonPairs(arms, config.aa ?? false).map(([r, c]) => [armIndex.get(r)!, armIndex.get(c)!] as const);
    // A/A: the two arms trade workers every two rounds (with the ABBA order that gives every
    // arm × position × worker combination once in four rounds), so a difference between the two
    // worker instances (thread placement, connection, script) cancels instead of posing as a
    // difference between the arms. With distinct SDKs each arm keeps its own worker.
    const workerFor = (armIdx: number, round: number): number => (config.aa ? (armIdx + (Math.floor(round / 2) % 2)) % 2 : armIdx);

    for (let pi = 0; pi < plan.length; pi++) {
      if (hooks.stopped?.()) break;
      const { protocol, scenario } = plan[pi]!;
      const meta = scenario.meta;
      const setup = baseSetup(protocol);
      const rec: ScenarioRecord = { meta, protocol, status: 'ok', reason: null, warmupRounds: 0, stoppedBy: 'max-rounds', elapsedS: 0, arms: {}, serverCpuMs: 0, serverWallMs: 0 };
      records.push(rec);
      const t0 = performance.now();
      const elapsedS = () => (performance.now() - started) / 1000;
      const progress = (phase: LabProgress['phase'], measured: number, verdicts: Verdict[], status?: string, values?: Record<string, number>) => {
        const done = pi + (phase === 'done' ? 1 : 0);
        const perScenario = done ? elapsedS() / done : 0;
        const reason = phase === 'done' && rec.reason ? { reason: rec.reason } : {};
        hooks.onProgress?.({ scenario: meta.id, protocol, index: pi, total: plan.length, phase, measured, verdicts, ...(status ? { status } : {}), ...reason, ...(values ? { values } : {}), elapsedS: elapsedS(), etaS: Math.max(0, Math.min(perScenario * (plan.length - done), (runDeadline - performance.now()) / 1000 + 5 * (plan.length - done))) });
      };
      progress('start', 0, []);
      const skip = (reason: string) => {
        rec.status = 'skipped';
        rec.reason = reason;
        rec.stoppedBy = 'skipped';
        progress('done', 0, [], 'skipped');
      };
      if (meta.notApplicable) {
        skip(meta.notApplicable);
        continue;
      }
      if (meta.needsLabHooks && config.endpoint.kind !== 'local') {
        skip('needs the local server (lab fault hooks)');
        continue;
      }
      try {
        // Configure every arm for this protocol (a new port to the helper each time).
        for (const s of slots) {
          const ch = new MessageChannel();
          helperApi.serve(Comlink.transfer(ch.port2, [ch.port2]));
          await s.api.configure(setup, Comlink.transfer(ch.port1, [ch.port1]), config.testSlowdown?.[s.arm.id]);
          if (!s.workers.some((w) => w.protocol === protocol)) {
            s.workers.push({ protocol, sdkVersion: s.hello.sdkVersion, crossOriginIsolated: s.hello.crossOriginIsolated, timerGranularityUs: s.hello.timerGranularityUs, scriptUrl: s.scriptUrl });
          }
          rec.arms[s.arm.id] = emptyArmRecord();
        }
        const sizes = { ...(quick ? scenario.sizes.quick : scenario.sizes.full), ...(config.ops ? { ops: config.ops } : {}) };
        const f = config.fault?.scenario === meta.id ? config.fault : undefined;
        const fault = f ? { ...(f.skip ? { skip: f.skip } : {}), ...(f.duplicate ? { duplicate: f.duplicate } : {}), ...(f.discard ? { discard: f.discard } : {}) } : undefined;
        const params = (arm: number, round: number): ScenarioParams => ({ ...sizes, channelPrefix: `lab-${runId}-${meta.id}-${protocol}-a${arm}-r${round}`, ...(fault ? { fault } : {}) });
        const remainingWeights = plan.slice(pi).map((x) => x.scenario.weight);
        const deadline = scenarioDeadline(performance.now(), runDeadline, remainingWeights);

        if (scenario.kind === 'worker') {
          for (const s of slots) await withTimeout(s.api.prepare(meta.id, params(armIndex.get(s.arm.id)!, -1)), SAMPLE_TIMEOUT_MS, `${meta.id} prepare on ${s.arm.id}`);
        }
        if (scenario.kind === 'cold-start') {
          for (const s of slots) s.bundle ??= await s.api.bundle();
        }

        const sample = async (armIdx: number, round: number, warmup: boolean): Promise<number> => {
          const s = slots[workerFor(armIdx, round)]!;
          const r: ArmRecord = warmup ? emptyArmRecord() : rec.arms[arms[armIdx]!.id]!;
          const p = params(armIdx, round);
          if (scenario.kind === 'worker') {
            await s.api.gc();
            const srv0 = await serverCpuMs(setup);
            const cpu0 = cpuKnown ? await host!.threadCpuMs(s.arm.id) : null;
            const w0 = performance.now();
            const m: Measurement = await withTimeout(s.api.sample(meta.id, p) as Promise<Measurement>, SAMPLE_TIMEOUT_MS, `${meta.id} sample on ${s.arm.id}`);
            const wall = performance.now() - w0;
            const cpu1 = cpuKnown ? await host!.threadCpuMs(s.arm.id) : null;
            const srv1 = await serverCpuMs(setup);
            const value = recordSample(r, m, scenario.primary(m), s.arm.id);
            if (m.kind === 'stream') {
              r.cpuMessages += m.messages;
              if (cpu0 !== null && cpu1 !== null) {
                r.workerCpuMs += cpu1 - cpu0;
                r.cpuKnown = true;
              }
              if (srv0 !== null && srv1 !== null) {
                r.serverCpuMs += srv1 - srv0;
                r.serverCpuKnown = true;
              }
            }
            if (!warmup && srv0 !== null && srv1 !== null) {
              rec.serverCpuMs += srv1 - srv0;
              rec.serverWallMs += wall;
            }
            return value;
          }
          if (scenario.kind === 'memory') {
            const read = async (): Promise<MemoryReading> => {
              await s.api.gc();
              const { reserved: wasmLinear, live: wasmLive } = await s.api.wasmMemory();
              const cross = await mUASM(s.scriptUrl).catch(() => undefined);
              if (host) {
                const h = await host.readMemory(s.scriptUrl);
                return { method: 'cdp', jsHeapUsed: h.jsHeapUsed, jsHeapTotal: h.jsHeapTotal, backing: h.backing, wasmLinear, wasmLive, ...(cross !== undefined ? { mUASM: cross } : {}) };
              }
              if (cross === undefined) throw new Error('no memory API: needs the CLI (CDP) or a cross-origin-isolated page');
              return { method: 'mUASM', jsHeapUsed: cross, jsHeapTotal: cross, backing: 0, wasmLinear, wasmLive, mUASM: cross };
            };
            const before = await read();
            await withTimeout(s.api.build(meta.id, p), SAMPLE_TIMEOUT_MS, `${meta.id} build on ${s.arm.id}`);
            const after = await read();
            await s.api.unbuild(meta.id);
            const d = memoryDelta(before, after);
            r.memory.push(d);
            r.values.push(d.total);
            return d.total;
          }
          // cold start: a fresh worker of the same script URL, spawn → connected. The CLI empties
          // the HTTP cache first (and with it V8's JS and wasm code caches), so every sample
          // fetches and compiles from scratch, as a first visit does; the page cannot, so there
          // the cache is warm after the first spawn (noted in the results).
          if (host) await host.clearCache();
          const w0 = performance.now();
          const fresh = spawn(s.scriptUrl, `lab-${s.arm.id}-cold`);
          try {
            const api = Comlink.wrap<ArmWorkerApi>(fresh.worker);
            const c = await withTimeout(Promise.race([api.coldStart(setup), fresh.failed]), SAMPLE_TIMEOUT_MS, `cold start of ${s.arm.id}`);
            const total = performance.now() - w0;
            r.values.push(total);
            r.cold.push({ loadedMs: total - c.connectMs });
            r.bundle = s.bundle ? { bytes: s.bundle.bytes, gzipBytes: s.bundle.gzipBytes } : undefined;
            return total;
          } finally {
            fresh.worker.terminate();
          }
        };

        const outcome = await runSchedule(
          slots.length,
          { warmupRounds: rounds.warmup, minRounds: rounds.min, maxRounds: rounds.max, deadline, comparisons: pairs, better: meta.better, margin },
          {
            sample,
            now: () => performance.now(),
            onRound: ({ measured, verdicts, row }) => progress('round', measured, verdicts, undefined, Object.fromEntries(slots.map((s, i) => [s.arm.id, row[i]!]))),
            ...(hooks.stopped ? { shouldContinue: () => !hooks.stopped!() } : {}),
          },
        );
        rec.warmupRounds = outcome.warmupRounds;
        rec.level = outcome.confidence;
        rec.stoppedBy = outcome.stoppedBy;
      } catch (e) {
        rec.status = 'failed';
        rec.reason = e instanceof Error ? e.message : String(e);
        rec.stoppedBy = 'failed';
      } finally {
        if (scenario.kind === 'worker') for (const s of slots) await withTimeout(s.api.release(meta.id), RELEASE_TIMEOUT_MS, 'release').catch(() => undefined);
        if (rec.status === 'failed') {
          const revived = await reviveArms().catch((e: unknown) => {
            throw new Error(`${rec.reason}; then an arm could not be restarted: ${e instanceof Error ? e.message : String(e)}`);
          });
          if (revived.length) rec.reason += ` (worker of ${revived.join(', ')} did not answer afterwards and was restarted)`;
        }
        // Equal lengths per arm (a failure mid-round leaves one arm a sample ahead): pairs stay aligned.
        const n = Math.min(...Object.values(rec.arms).map((a) => a.values.length));
        for (const a of Object.values(rec.arms)) a.values.length = Number.isFinite(n) ? n : 0;
        rec.elapsedS = (performance.now() - t0) / 1000;
      }
      progress('done', Math.min(...Object.values(rec.arms).map((a) => a.values.length)), [], rec.status);
    }

    const env = host ? await host.environment() : { browser: navigator.userAgent, gitCommit: null, gitDirty: null, notes: [] };
    return buildResults({
      createdAt,
      durationS: (performance.now() - started) / 1000,
      config: {
        quick,
        aa: config.aa ?? false,
        budgetS: config.budgetS,
        scenarios: scenarios.map((s) => s.meta.id),
        protocols,
        endpoint: { kind: config.endpoint.kind, host: config.endpoint.host, port: config.endpoint.port, tls: config.endpoint.tls },
        crossOrigin: crossOrigin(config.endpoint),
        equivalenceMargin: margin,
        confidence: 0.95,
      },
      environment: {
        userAgent: navigator.userAgent,
        browser: env.browser,
        cores: navigator.hardwareConcurrency,
        crossOriginIsolated: self.crossOriginIsolated,
        timerGranularityUs: timerGranularityUs(() => performance.now()),
        gitCommit: env.gitCommit,
        gitDirty: env.gitDirty,
        memoryMethod: host ? 'cdp' : self.crossOriginIsolated ? 'mUASM' : 'none',
        cpuMethod: cpuKnown ? 'proc' : 'none',
        notes: [...env.notes, ...(!host && scenarios.some((x) => x.kind === 'cold-start') ? ['cold start: HTTP and code caches warm after the first spawn (only the CLI can clear them before each sample)'] : [])],
      },
      arms: slots.map((s) => ({ id: s.arm.id, sdk: s.arm.sdk, workers: s.workers })),
      armList: arms,
      records,
    });
  } finally {
    for (const s of slots) s.worker.terminate();
    await withTimeout(helperApi.close(), 2000, 'helper close').catch(() => undefined);
    helper.worker.terminate();
  }
}
