/**
 * Turns what the runner recorded into the versioned output (results.ts). Pure: the page, the CLI
 * and tests call it with plain data.
 */
import { CONFIDENCE, EQUIVALENCE_MARGIN, SAMPLE_SIGNIFICANT_DIGITS, SERVER_BOUND_FRACTION } from './defaults';
import { addIntegrity, integrityOk } from './integrity';
import type { ArmResultV1, ArmV1, ClaimV1, ComparisonV1, LabResultsV1, ScenarioV1 } from './results';
import { figureOrNull, roundSig } from './results';
import { latencyPercentiles, median, pairedRatio, summarize } from './stats';
import type { Arm, Integrity, Interval, Measurement, MemoryReading, ScenarioMeta, Protocol } from './types';
import { CLAIMS, claimStatus, timeLike, verdict } from './verdict';

/** Everything recorded for one arm in one scenario (measured rounds only). */
export interface ArmRecord {
  values: number[];
  latency: { p50: number; p95: number; p99: number }[];
  rates: number[];
  integrity: Integrity | undefined;
  /** Pooled worker-thread CPU (ms) and the messages moved in those samples. */
  workerCpuMs: number;
  serverCpuMs: number;
  cpuMessages: number;
  cpuKnown: boolean;
  serverCpuKnown: boolean;
  /**
   * Worker CPU µs per message of each measured stream sample, in `values` order (null when the
   * thread's CPU was not readable for it): the per-round figure beside wall time.
   */
  cpuPerMsg: (number | null)[];
  memory: {
    jsHeapUsed: number;
    backing: number;
    wasmLinear: number;
    wasmLive: number;
    total: number;
    mUASM: number | null;
  }[];
  cold: { loadedMs: number }[];
  bundle: { bytes: number; gzipBytes: number } | undefined;
}

export function emptyArmRecord(): ArmRecord {
  return {
    values: [],
    latency: [],
    rates: [],
    integrity: undefined,
    workerCpuMs: 0,
    serverCpuMs: 0,
    cpuMessages: 0,
    cpuKnown: false,
    serverCpuKnown: false,
    cpuPerMsg: [],
    memory: [],
    cold: [],
    bundle: undefined,
  };
}

/**
 * Adds one measured worker sample to its arm's record, after checking it: a violated integrity
 * check or a primary value that is not a number (a stream that delivered nothing) throws, and
 * nothing of that sample is recorded, so every recorded value is a real one. Returns the value.
 */
export function recordSample(r: ArmRecord, m: Measurement, value: number, where: string): number {
  if (m.kind === 'stream' || m.kind === 'recovery') {
    r.integrity = addIntegrity(r.integrity, m.integrity);
    if (!integrityOk(m.integrity)) {
      const i = m.integrity;
      throw new Error(
        `integrity violated on ${where}: ${i.lost} lost, ${i.duplicated} duplicated, ` +
          `${i.reordered} reordered of ${i.expected}${i.detail ? ` (${i.detail})` : ''}`,
      );
    }
  }
  if (!Number.isFinite(value)) throw new Error(`no value measured on ${where} (${value})`);
  r.values.push(value);
  if (m.kind === 'ops') {
    r.latency.push(latencyPercentiles(m.latenciesMs));
    r.rates.push((m.ops / m.elapsedMs) * 1000);
  }
  if (m.kind === 'stream') r.rates.push(value);
  return value;
}

export interface ScenarioRecord {
  meta: ScenarioMeta;
  protocol: Protocol;
  status: 'ok' | 'failed' | 'skipped';
  reason: string | null;
  warmupRounds: number;
  stoppedBy: ScenarioV1['stoppedBy'];
  elapsedS: number;
  arms: Record<string, ArmRecord>;
  /** Server CPU over the scenario's measured samples (ms) and their wall time (ms). */
  serverCpuMs: number;
  serverWallMs: number;
  /** Nominal confidence of each look's CI (sequential.ts); CONFIDENCE when absent. */
  level?: number;
}

/**
 * Memory delta between two readings (bytes). total = the retained live bytes (docs/method.md#memory):
 * JS heap used + ArrayBuffer/external backing + live wasm heap. Reserved linear memory
 * (`wasmLinear`, grows in 64 KiB pages, never shrinks) is reported beside it, not added.
 */
export function memoryDelta(before: MemoryReading, after: MemoryReading): ArmRecord['memory'][number] {
  const jsHeapUsed = after.jsHeapUsed - before.jsHeapUsed;
  const backing = after.backing - before.backing;
  const wasmLinear = after.wasmLinear - before.wasmLinear;
  const wasmLive = after.wasmLive - before.wasmLive;
  const mUASM = after.mUASM !== undefined && before.mUASM !== undefined ? after.mUASM - before.mUASM + wasmLive : null;
  return { jsHeapUsed, backing, wasmLinear, wasmLive, total: jsHeapUsed + backing + wasmLive, mUASM };
}

/** Which pairs are compared: candidate/reference. Rust against ably-js and the floor; ably-js against the floor; A/A: second copy against the first. */
export function comparisonPairs(arms: readonly Arm[], aa: boolean): [reference: string, candidate: string][] {
  if (aa) return arms.length >= 2 ? [[arms[0]!.id, arms[1]!.id]] : [];
  const has = (id: string) => arms.some((a) => a.id === id);
  const pairs: [string, string][] = [];
  if (has('rust') && has('js')) pairs.push(['js', 'rust']);
  if (has('rust') && has('raw')) pairs.push(['raw', 'rust']);
  if (has('js') && has('raw')) pairs.push(['raw', 'js']);
  return pairs;
}

const ciOf = (i: Interval): [number | null, number | null] => [figureOrNull(i.lo), figureOrNull(i.hi)];
const med = (xs: number[]) => (xs.length ? median(xs) : NaN);

function armResult(id: string, r: ArmRecord, meta: ScenarioMeta): ArmResultV1 {
  const s = summarize(r.values);
  const integrity = r.integrity ? { ...r.integrity, ok: integrityOk(r.integrity) } : null;
  const isStream = meta.unit === 'msg/s';
  return {
    arm: id,
    n: s.n,
    median: figureOrNull(s.median),
    medianCi: ciOf(s.medianCi),
    mean: figureOrNull(s.mean),
    meanCi: ciOf(s.meanCi),
    min: figureOrNull(s.min),
    max: figureOrNull(s.max),
    cv: figureOrNull(s.cv),
    samples: r.values.map((v) => roundSig(v, SAMPLE_SIGNIFICANT_DIGITS)),
    latency: r.latency.length
      ? {
          p50: med(r.latency.map((l) => l.p50)),
          p95: med(r.latency.map((l) => l.p95)),
          p99: med(r.latency.map((l) => l.p99)),
        }
      : null,
    rate: r.rates.length ? figureOrNull(med(r.rates)) : null,
    integrity,
    cpu:
      isStream && (r.cpuKnown || r.serverCpuKnown) && r.cpuMessages > 0
        ? {
            workerUsPerMsg: r.cpuKnown ? (r.workerCpuMs * 1000) / r.cpuMessages : null,
            serverUsPerMsg: r.serverCpuKnown ? (r.serverCpuMs * 1000) / r.cpuMessages : null,
            workerUsPerMsgSamples: r.cpuPerMsg.map((x) => (x === null ? null : roundSig(x, SAMPLE_SIGNIFICANT_DIGITS))),
          }
        : null,
    memory: r.memory.length
      ? {
          jsHeapUsed: med(r.memory.map((m) => m.jsHeapUsed)),
          backing: med(r.memory.map((m) => m.backing)),
          wasmLinear: med(r.memory.map((m) => m.wasmLinear)),
          wasmLive: med(r.memory.map((m) => m.wasmLive)),
          total: med(r.memory.map((m) => m.total)),
          mUASM: r.memory.every((m) => m.mUASM !== null) ? med(r.memory.map((m) => m.mUASM!)) : null,
        }
      : null,
    coldStart:
      r.cold.length && r.bundle
        ? {
            loadedMs: med(r.cold.map((c) => c.loadedMs)),
            bundleBytes: r.bundle.bytes,
            bundleGzipBytes: r.bundle.gzipBytes,
          }
        : null,
  };
}

/**
 * The paired ratio of worker CPU per message (candidate/reference, lower = cheaper), over the
 * rounds where both arms' CPU was readable; undefined when fewer than two rounds have it.
 */
function pairedCpuRatio(
  ref: ArmRecord,
  cand: ArmRecord,
  level: number,
  margin: number,
): NonNullable<ComparisonV1['cpu']> | undefined {
  const perMsg = (r: ArmRecord) => r.cpuPerMsg.map((x) => x ?? NaN);
  const r = pairedRatio(perMsg(ref), perMsg(cand), level);
  if (r.n < 2) return undefined;
  return { ratio: figureOrNull(r.ratio), ci: ciOf(r.ci), n: r.n, verdict: verdict(r.ratio, r.ci, 'lower', margin) };
}

export function scenarioResult(
  rec: ScenarioRecord,
  arms: readonly Arm[],
  aa: boolean,
  margin = EQUIVALENCE_MARGIN,
): ScenarioV1 {
  const better = rec.meta.better;
  const level = rec.level ?? CONFIDENCE;
  const ids = arms.map((a) => a.id).filter((id) => rec.arms[id]);
  const comparisons: ComparisonV1[] = comparisonPairs(arms, aa)
    .filter(([a, b]) => rec.arms[a] && rec.arms[b])
    .map(([ref, cand]) => {
      const r = pairedRatio(rec.arms[ref]!.values, rec.arms[cand]!.values, level);
      const cpu = pairedCpuRatio(rec.arms[ref]!, rec.arms[cand]!, level, margin);
      return {
        candidate: cand,
        reference: ref,
        ratio: figureOrNull(r.ratio),
        ci: ciOf(r.ci),
        n: r.n,
        method: 't-log-ratio',
        level,
        verdict: r.n >= 2 ? verdict(r.ratio, r.ci, better, margin) : 'unsure',
        ...(cpu && { cpu }),
      };
    });
  const claimDef = CLAIMS[rec.meta.claim];
  const claims: ClaimV1[] = [];
  if (!aa) {
    const rust = rec.arms.rust;
    const js = rec.arms.js;
    if (rust && js && rec.status === 'ok') {
      const r = pairedRatio(js.values, rust.values, level);
      const t = timeLike(r.ratio, r.ci, better);
      claims.push({
        kind: claimDef.kind,
        text: claimDef.text,
        candidate: 'rust',
        reference: 'js',
        threshold: claimDef.threshold,
        ratio: figureOrNull(t.ratio),
        ci: ciOf(t.ci),
        level,
        status: r.n >= 2 ? claimStatus(r.ratio, r.ci, better, claimDef) : 'unsure',
      });
    } else {
      claims.push({
        kind: claimDef.kind,
        text: claimDef.text,
        candidate: 'rust',
        reference: 'js',
        threshold: claimDef.threshold,
        ratio: null,
        ci: [null, null],
        status: 'n/a',
      });
    }
  }
  const cpuFraction = rec.serverWallMs > 0 ? rec.serverCpuMs / rec.serverWallMs : null;
  return {
    id: rec.meta.id,
    protocol: rec.protocol,
    title: rec.meta.title,
    group: rec.meta.group,
    unit: rec.meta.unit,
    better,
    status: rec.status,
    reason: rec.reason,
    rounds:
      Math.min(...ids.map((id) => rec.arms[id]!.values.length), Infinity) === Infinity
        ? 0
        : Math.min(...ids.map((id) => rec.arms[id]!.values.length)),
    warmupRounds: rec.warmupRounds,
    stoppedBy: rec.stoppedBy,
    elapsedS: Math.round(rec.elapsedS * 100) / 100,
    arms: ids.map((id) => armResult(id, rec.arms[id]!, rec.meta)),
    comparisons,
    claims,
    server: {
      cpuFraction: figureOrNull(cpuFraction ?? undefined),
      bound: cpuFraction !== null && cpuFraction > SERVER_BOUND_FRACTION,
    },
  };
}

export interface ReportInput {
  createdAt: Date;
  durationS: number;
  config: LabResultsV1['config'];
  environment: LabResultsV1['environment'];
  arms: ArmV1[];
  armList: readonly Arm[];
  records: ScenarioRecord[];
}

export function buildResults(input: ReportInput): LabResultsV1 {
  return {
    schemaVersion: 1,
    tool: 'ably-sdk-lab',
    createdAt: input.createdAt.toISOString(),
    durationS: Math.round(input.durationS * 10) / 10,
    config: { ...input.config, confidence: CONFIDENCE },
    environment: input.environment,
    arms: input.arms,
    scenarios: input.records.map((r) =>
      scenarioResult(r, input.armList, input.config.aa, input.config.equivalenceMargin),
    ),
  };
}

export { addIntegrity };
