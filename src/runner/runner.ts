/**
 * The lab runner, in the page (the lab page and the headless CLI's runner page both use it): one
 * dedicated worker per arm plus the helper publisher; for each scenario, every arm is configured,
 * prepared, sampled in a counterbalanced schedule (arms never concurrent) and released; memory
 * and CPU are read around samples; progress goes to a callback; the result is the versioned
 * results object. Browser APIs (Worker, fetch, MessageChannel), no DOM.
 */
import * as Comlink from 'comlink';
import {
  ARM_ALIVE_TIMEOUT_MS,
  CONFIDENCE,
  EQUIVALENCE_MARGIN,
  FULL_MAX_ROUNDS,
  FULL_MIN_ROUNDS,
  FULL_WARMUP_ROUNDS,
  HELPER_CLOSE_TIMEOUT_MS,
  QUICK_MAX_ROUNDS,
  QUICK_MIN_ROUNDS,
  QUICK_WARMUP_ROUNDS,
  RELEASE_TIMEOUT_MS,
  SAMPLE_TIMEOUT_MS,
} from '../lab/defaults';
import {
  type ArmRecord,
  buildResults,
  comparisonPairs,
  emptyArmRecord,
  memoryDelta,
  recordSample,
  type ScenarioRecord,
} from '../lab/report';
import type { LabResultsV1 } from '../lab/results';
import { runSchedule, scenarioDeadline } from '../lab/schedule';
import { SCENARIOS, scenarioById, type Scenario } from '../lab/scenarios/index';
import { timerGranularityUs } from '../lab/timer';
import type { Arm, ClientSetup, Endpoint, Measurement, Protocol, ScenarioParams, Verdict } from '../lab/types';
import type { HelperWorkerApi } from '../workers/arm-contract';
import helperUrl from '../workers/helper.worker.ts?worker&url';
import { type ArmSlot, armsOf, availableArms, spawn, startArm, withTimeout } from './arms';
import type { LabHost, LabProgress, LabRunConfig } from './contract';
import { coldStart } from './samplers/cold-start';
import { identifyThread, serverCpuMs } from './samplers/cpu';
import { readMemory } from './samplers/memory';

export type { LabHost, LabProgress, LabRunConfig } from './contract';
export { ARM_SCRIPTS, availableArms } from './arms';

export interface LabRunHooks {
  onProgress?(p: LabProgress): void;
  host?: LabHost;
  /** Checked between rounds; true stops the run (results so far are returned). */
  stopped?(): boolean;
}

/** Whether the SDKs' HTTP requests leave the page's origin (then every REST call may pay a CORS preflight). */
export function crossOrigin(e: Endpoint): boolean {
  return new URL(`${e.tls ? 'https' : 'http'}://${e.host}:${e.port}`).origin !== location.origin;
}

/** Runs the lab; see the module doc. */
export function runLab(config: LabRunConfig, hooks: LabRunHooks = {}): Promise<LabResultsV1> {
  return new LabRunner(config, hooks).run();
}

interface PlanItem {
  protocol: Protocol;
  scenario: Scenario;
}

export class LabRunner {
  private readonly started = performance.now();
  private readonly createdAt = new Date();
  private readonly quick: boolean;
  private readonly margin: number;
  private readonly arms: Arm[];
  private readonly scenarios: Scenario[];
  private readonly plan: PlanItem[];
  private readonly rounds: { warmup: number; min: number; max: number };
  private readonly host: LabHost | undefined;
  /** Channel names of this run never collide with an earlier run's on the same server. */
  private readonly runId = Math.random().toString(36).slice(2, 8);
  private readonly runDeadline: number;
  private readonly slots: ArmSlot[] = [];
  private readonly records: ScenarioRecord[] = [];
  private helper: { worker: Worker; failed: Promise<never>; api: Comlink.Remote<HelperWorkerApi> } | undefined;
  private cpuKnown = false;
  /** False when the host's engine has no per-worker JS heap (Firefox): memory scenarios say so. */
  private workerHeap = true;

  constructor(
    private readonly config: LabRunConfig,
    private readonly hooks: LabRunHooks,
  ) {
    this.quick = config.quick ?? false;
    this.margin = config.margin ?? EQUIVALENCE_MARGIN;
    this.arms = armsOf(config.arms ?? availableArms(), config.aa ?? false);
    this.scenarios = (config.scenarios ?? SCENARIOS.map((s) => s.meta.id)).map((id) => {
      const s = scenarioById(id);
      if (!s) throw new Error(`unknown scenario "${id}" (known: ${SCENARIOS.map((x) => x.meta.id).join(', ')})`);
      return s;
    });
    this.plan = (config.protocols ?? ['json']).flatMap((protocol) =>
      this.scenarios.map((scenario) => ({ protocol, scenario })),
    );
    const quick = this.quick;
    this.rounds = {
      warmup: config.rounds?.warmup ?? (quick ? QUICK_WARMUP_ROUNDS : FULL_WARMUP_ROUNDS),
      min: config.rounds?.min ?? (quick ? QUICK_MIN_ROUNDS : FULL_MIN_ROUNDS),
      // Until the budget, the budget is the limit: quick's round cap would leave fast scenarios' time unused.
      max: config.rounds?.max ?? (quick && !config.untilBudget ? QUICK_MAX_ROUNDS : FULL_MAX_ROUNDS),
    };
    this.host = hooks.host;
    this.runDeadline = this.started + config.budgetS * 1000;
  }

  async run(): Promise<LabResultsV1> {
    try {
      await this.spawnArms();
      for (const [index, item] of this.plan.entries()) {
        if (this.hooks.stopped?.()) break;
        this.records.push(await this.runScenario(item, index));
      }
      return await this.results();
    } finally {
      await this.shutdown();
    }
  }

  private setupFor(protocol: Protocol): ClientSetup {
    return { endpoint: this.config.endpoint, key: this.config.key, protocol, clientId: 'lab' };
  }

  /** Workers: one per arm (distinct script URLs), created up front, plus the helper publisher. */
  private async spawnArms(): Promise<void> {
    const helper = spawn(helperUrl, 'lab-helper');
    this.helper = { ...helper, api: Comlink.wrap<HelperWorkerApi>(helper.worker) };
    for (const [i, arm] of this.arms.entries())
      this.slots.push(await startArm(arm, this.config.aa === true && i === 1));
    await withTimeout(
      Promise.race([this.helper.api.configure(this.setupFor('json')), helper.failed]),
      SAMPLE_TIMEOUT_MS,
      'helper connect',
    );
    if (this.host) {
      this.workerHeap = (await this.host.capabilities()).workerHeap;
      this.cpuKnown = true;
      for (const s of this.slots) this.cpuKnown = (await identifyThread(this.host, s)) && this.cpuKnown;
    }
  }

  /**
   * After a failed scenario: an arm whose worker no longer answers (crashed, or still stuck in
   * the sample that timed out) is replaced by a fresh worker, so the next scenarios still run.
   * Returns the arms replaced.
   */
  private async reviveArms(): Promise<string[]> {
    const revived: string[] = [];
    for (const [i, s] of this.slots.entries()) {
      const alive = await withTimeout(s.api.hello(), ARM_ALIVE_TIMEOUT_MS, 'alive').then(
        () => true,
        () => false,
      );
      if (alive) continue;
      s.worker.terminate();
      const fresh = await startArm(s.arm, this.config.aa === true && i === 1);
      fresh.workers = s.workers;
      fresh.bundle = s.bundle;
      this.slots[i] = fresh;
      if (this.cpuKnown) this.cpuKnown = await identifyThread(this.host!, fresh);
      revived.push(s.arm.id);
    }
    return revived;
  }

  /**
   * A/A: the two arms trade workers every two rounds (with the ABBA order that gives every
   * arm × position × worker combination once in four rounds), so a difference between the two
   * worker instances (thread placement, connection, script) cancels instead of posing as a
   * difference between the arms. With distinct SDKs each arm keeps its own worker.
   */
  private workerFor(armIdx: number, round: number): ArmSlot {
    return this.slots[this.config.aa ? (armIdx + (Math.floor(round / 2) % 2)) % 2 : armIdx]!;
  }

  /** Configure → prepare → schedule the samples → release; a failure is recorded, never thrown. */
  private async runScenario({ protocol, scenario }: PlanItem, index: number): Promise<ScenarioRecord> {
    const meta = scenario.meta;
    const rec: ScenarioRecord = {
      meta,
      protocol,
      status: 'ok',
      reason: null,
      warmupRounds: 0,
      stoppedBy: 'max-rounds',
      elapsedS: 0,
      arms: {},
      serverCpuMs: 0,
      serverWallMs: 0,
    };
    const t0 = performance.now();
    const progress = (
      phase: LabProgress['phase'],
      measured: number,
      verdicts: Verdict[],
      status?: string,
      values?: Record<string, number>,
    ) =>
      this.progress({
        scenario: meta.id,
        protocol,
        index,
        phase,
        measured,
        verdicts,
        ...(status ? { status } : {}),
        ...(phase === 'done' && rec.reason ? { reason: rec.reason } : {}),
        ...(values ? { values } : {}),
      });
    progress('start', 0, []);
    const skipped =
      meta.notApplicable ??
      (meta.needsLabHooks && this.config.endpoint.kind !== 'local'
        ? 'needs the local server (lab fault hooks)'
        : undefined);
    if (skipped) {
      Object.assign(rec, { status: 'skipped', reason: skipped, stoppedBy: 'skipped' });
      progress('done', 0, [], 'skipped');
      return rec;
    }
    const setup = this.setupFor(protocol);
    try {
      await this.configureArms(setup, rec);
      const params = this.paramsFor(scenario, protocol);
      if (scenario.kind === 'memory' && !this.workerHeap) {
        Object.assign(rec, {
          status: 'skipped',
          reason: await this.wasmOnlyMemory(scenario, params),
          stoppedBy: 'skipped',
          arms: {},
        });
        progress('done', 0, [], 'skipped');
        return rec; // (the finally below still releases the arms)
      }
      const deadline = scenarioDeadline(
        performance.now(),
        this.runDeadline,
        this.plan.slice(index).map((x) => x.scenario.weight),
      );
      if (scenario.kind === 'worker') {
        for (const s of this.slots)
          await withTimeout(
            s.api.prepare(meta.id, params(this.armIndex(s.arm), -1)),
            SAMPLE_TIMEOUT_MS,
            `${meta.id} prepare on ${s.arm.id}`,
          );
      }
      const pairs = comparisonPairs(this.arms, this.config.aa ?? false).map(
        ([r, c]) => [this.arms.findIndex((a) => a.id === r), this.arms.findIndex((a) => a.id === c)] as const,
      );
      const { warmup, min, max } = this.rounds;
      const outcome = await runSchedule(
        this.slots.length,
        {
          warmupRounds: warmup,
          minRounds: min,
          maxRounds: max,
          untilBudget: this.config.untilBudget ?? false,
          deadline,
          comparisons: pairs,
          better: meta.better,
          margin: this.margin,
        },
        {
          sample: (armIdx, round, isWarmup) => this.sample(scenario, setup, rec, params, armIdx, round, isWarmup),
          now: () => performance.now(),
          onRound: ({ measured, verdicts, row }) =>
            progress(
              'round',
              measured,
              verdicts,
              undefined,
              Object.fromEntries(this.slots.map((s, i) => [s.arm.id, row[i]!])),
            ),
          ...(this.hooks.stopped ? { shouldContinue: () => !this.hooks.stopped!() } : {}),
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
      await this.release(scenario, rec);
      rec.elapsedS = (performance.now() - t0) / 1000;
    }
    progress('done', Math.min(...Object.values(rec.arms).map((a) => a.values.length)), [], rec.status);
    return rec;
  }

  /**
   * A memory scenario in an engine without a per-worker JS heap API: the arms cannot be compared
   * (a JS SDK's heap is unmeasurable), so the scenario is skipped and its reason carries what is
   * measurable — the Rust SDK's own wasm figures for one build — named as such.
   */
  private async wasmOnlyMemory(
    scenario: Scenario,
    params: (arm: number, round: number) => ScenarioParams,
  ): Promise<string> {
    const meta = scenario.meta;
    const figures: string[] = [];
    for (const s of this.slots.filter((x) => x.arm.sdk === 'rust')) {
      await s.api.gc();
      const before = await s.api.wasmMemory();
      await withTimeout(
        s.api.build(meta.id, params(this.armIndex(s.arm), -1)),
        SAMPLE_TIMEOUT_MS,
        `${meta.id} build on ${s.arm.id}`,
      );
      await s.api.gc();
      const after = await s.api.wasmMemory();
      await s.api.unbuild(meta.id);
      figures.push(
        `${s.arm.id}: wasm live ${after.live - before.live} B, wasm reserved +${after.reserved - before.reserved} B (one build, the Rust SDK's own count)`,
      );
    }
    return (
      `no per-worker JS heap API in this engine (no CDP heap, no measureUserAgentSpecificMemory): ` +
      `arms not compared${figures.length ? `; measurable: ${figures.join('; ')}` : ''}`
    );
  }

  private armIndex(arm: Arm): number {
    return this.arms.indexOf(arm);
  }

  /** Every arm gets this protocol's setup and a new port to the helper publisher. */
  private async configureArms(setup: ClientSetup, rec: ScenarioRecord): Promise<void> {
    for (const s of this.slots) {
      const ch = new MessageChannel();
      this.helper!.api.serve(Comlink.transfer(ch.port2, [ch.port2]));
      await s.api.configure(setup, Comlink.transfer(ch.port1, [ch.port1]));
      if (!s.workers.some((w) => w.protocol === setup.protocol)) {
        s.workers.push({
          protocol: setup.protocol,
          sdkVersion: s.hello.sdkVersion,
          crossOriginIsolated: s.hello.crossOriginIsolated,
          timerGranularityUs: s.hello.timerGranularityUs,
          scriptUrl: s.scriptUrl,
        });
      }
      rec.arms[s.arm.id] = emptyArmRecord();
    }
  }

  /** Sample parameters per arm and round: the scenario's sizes and a fresh channel prefix. */
  private paramsFor(scenario: Scenario, protocol: Protocol): (arm: number, round: number) => ScenarioParams {
    const meta = scenario.meta;
    const sizes = {
      ...(this.quick ? scenario.sizes.quick : scenario.sizes.full),
      ...(this.config.ops ? { ops: this.config.ops } : {}),
    };
    return (arm, round) => ({
      ...sizes,
      channelPrefix: `lab-${this.runId}-${meta.id}-${protocol}-a${arm}-r${round}`,
    });
  }

  /** One sample of one arm; its primary value (recorded unless a warm-up round). */
  private async sample(
    scenario: Scenario,
    setup: ClientSetup,
    rec: ScenarioRecord,
    params: (arm: number, round: number) => ScenarioParams,
    armIdx: number,
    round: number,
    warmup: boolean,
  ): Promise<number> {
    const meta = scenario.meta;
    const s = this.workerFor(armIdx, round);
    const r: ArmRecord = warmup ? emptyArmRecord() : rec.arms[this.arms[armIdx]!.id]!;
    const p = params(armIdx, round);
    if (scenario.kind === 'worker') {
      await s.api.gc();
      const srv0 = await serverCpuMs(setup);
      const cpu0 = this.cpuKnown ? await this.host!.threadCpuMs(s.arm.id) : null;
      const w0 = performance.now();
      const m: Measurement = await withTimeout(
        s.api.sample(meta.id, p) as Promise<Measurement>,
        SAMPLE_TIMEOUT_MS,
        `${meta.id} sample on ${s.arm.id}`,
      );
      const wall = performance.now() - w0;
      const cpu1 = this.cpuKnown ? await this.host!.threadCpuMs(s.arm.id) : null;
      const srv1 = await serverCpuMs(setup);
      const value = recordSample(r, m, scenario.primary(m), s.arm.id);
      if (m.kind === 'stream') {
        r.cpuMessages += m.messages;
        if (cpu0 !== null && cpu1 !== null) {
          r.workerCpuMs += cpu1 - cpu0;
          r.cpuKnown = true;
        }
        r.cpuPerMsg.push(cpu0 !== null && cpu1 !== null && m.messages > 0 ? ((cpu1 - cpu0) * 1000) / m.messages : null);
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
      const before = await readMemory(s, this.host);
      await withTimeout(s.api.build(meta.id, p), SAMPLE_TIMEOUT_MS, `${meta.id} build on ${s.arm.id}`);
      const after = await readMemory(s, this.host);
      await s.api.unbuild(meta.id);
      const d = memoryDelta(before, after);
      r.memory.push(d);
      r.values.push(d.total);
      return d.total;
    }
    const c = await coldStart(s, setup, this.host, s.bundle === undefined);
    s.bundle ??= c.bundle;
    r.values.push(c.totalMs);
    r.cold.push({ loadedMs: c.loadedMs });
    r.bundle = s.bundle ? { bytes: s.bundle.bytes, gzipBytes: s.bundle.gzipBytes } : undefined;
    return c.totalMs;
  }

  /** Closes the scenario's clients, replaces arms a failure left unresponsive, aligns the pairs. */
  private async release(scenario: Scenario, rec: ScenarioRecord): Promise<void> {
    if (scenario.kind === 'worker')
      for (const s of this.slots)
        await withTimeout(s.api.release(scenario.meta.id), RELEASE_TIMEOUT_MS, 'release').catch(() => undefined);
    if (rec.status === 'failed') {
      const revived = await this.reviveArms().catch((e: unknown) => {
        throw new Error(
          `${rec.reason}; then an arm could not be restarted: ${e instanceof Error ? e.message : String(e)}`,
        );
      });
      if (revived.length)
        rec.reason += ` (worker of ${revived.join(', ')} did not answer afterwards and was restarted)`;
    }
    // Equal lengths per arm (a failure mid-round leaves one arm a sample ahead): pairs stay aligned.
    const n = Math.min(...Object.values(rec.arms).map((a) => a.values.length));
    for (const a of Object.values(rec.arms)) {
      a.values.length = Number.isFinite(n) ? n : 0;
      a.cpuPerMsg.length = Math.min(a.cpuPerMsg.length, a.values.length);
    }
  }

  private progress(p: Omit<LabProgress, 'total' | 'elapsedS' | 'etaS'>): void {
    const total = this.plan.length;
    const elapsedS = (performance.now() - this.started) / 1000;
    const done = p.index + (p.phase === 'done' ? 1 : 0);
    const perScenario = done ? elapsedS / done : 0;
    const etaS = Math.max(
      0,
      Math.min(perScenario * (total - done), (this.runDeadline - performance.now()) / 1000 + 5 * (total - done)),
    );
    this.hooks.onProgress?.({ ...p, total, elapsedS, etaS });
  }

  private async results(): Promise<LabResultsV1> {
    const { config, host } = this;
    const env = host
      ? await host.environment()
      : { browser: navigator.userAgent, gitCommit: null, gitDirty: null, notes: [] };
    const coldStartInPage = !host && this.scenarios.some((x) => x.kind === 'cold-start');
    return buildResults({
      createdAt: this.createdAt,
      durationS: (performance.now() - this.started) / 1000,
      config: {
        quick: this.quick,
        aa: config.aa ?? false,
        budgetS: config.budgetS,
        ...(config.untilBudget ? { untilBudget: true } : {}),
        scenarios: this.scenarios.map((s) => s.meta.id),
        protocols: config.protocols ?? ['json'],
        endpoint: {
          kind: config.endpoint.kind,
          host: config.endpoint.host,
          port: config.endpoint.port,
          tls: config.endpoint.tls,
        },
        crossOrigin: crossOrigin(config.endpoint),
        equivalenceMargin: this.margin,
        confidence: CONFIDENCE,
      },
      environment: {
        userAgent: navigator.userAgent,
        browser: env.browser,
        cores: navigator.hardwareConcurrency,
        crossOriginIsolated: self.crossOriginIsolated,
        timerGranularityUs: timerGranularityUs(() => performance.now()),
        gitCommit: env.gitCommit,
        gitDirty: env.gitDirty,
        memoryMethod: host ? (this.workerHeap ? 'cdp' : 'none') : self.crossOriginIsolated ? 'mUASM' : 'none',
        ...(env.engine ? { engine: env.engine } : {}),
        cpuMethod: this.cpuKnown ? 'proc' : 'none',
        notes: [
          ...env.notes,
          ...(coldStartInPage
            ? [
                'cold start: HTTP and code caches warm after the first spawn (only the CLI can clear them before each sample)',
              ]
            : []),
        ],
      },
      arms: this.slots.map((s) => ({ id: s.arm.id, sdk: s.arm.sdk, workers: s.workers })),
      armList: this.arms,
      records: this.records,
    });
  }

  private async shutdown(): Promise<void> {
    for (const s of this.slots) s.worker.terminate();
    if (!this.helper) return;
    await withTimeout(this.helper.api.close(), HELPER_CLOSE_TIMEOUT_MS, 'helper close').catch(() => undefined);
    this.helper.worker.terminate();
  }
}
