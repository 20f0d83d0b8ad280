/**
 * The lab's OUTPUT format: versioned, documented, separate from the internal types (tachometer
 * src/json-output.ts). `results/latest.json`, the permalink hash and the CI gate (src/gate/) read
 * exactly this. Bump SCHEMA_VERSION on any incompatible change.
 *
 * Conventions: times in ms, rates per second, memory in bytes. A CI bound that does not exist
 * (fewer than two samples) is `null`. Ratios are candidate/reference of the scenario's primary
 * value (`better` says which direction is good).
 */
import type { ClaimStatus, Direction, Protocol, ScenarioGroup, SdkKind, Verdict } from './types';

export const SCHEMA_VERSION = 1;

/** [lo, hi]; null when the bound does not exist. */
export type CiV1 = [number | null, number | null];

export interface LabResultsV1 {
  schemaVersion: 1;
  tool: 'ably-sdk-lab';
  /** ISO 8601. */
  createdAt: string;
  durationS: number;
  config: {
    quick: boolean;
    aa: boolean;
    budgetS: number;
    /** Every scenario sampled to its share of the budget, verdicts or not (the gate's runs); absent = sequential. */
    untilBudget?: boolean;
    scenarios: string[];
    protocols: Protocol[];
    /** Where the SDKs connected; the key is never recorded. */
    endpoint: { kind: 'local' | 'remote'; host: string; port: number; tls: boolean };
    /** The page's origin differed from the endpoint's (CORS preflights on REST); absent in older files. */
    crossOrigin?: boolean;
    equivalenceMargin: number;
    confidence: number;
  };
  environment: {
    userAgent: string;
    /** e.g. "Chromium 156.0.8078.108" (from the CLI), or the user agent's product. */
    browser: string;
    cores: number;
    crossOriginIsolated: boolean;
    /** Smallest performance.now() step in the page (µs). */
    timerGranularityUs: number;
    gitCommit: string | null;
    gitDirty: boolean | null;
    /** How memory was read: CDP on the worker target (CLI) or measureUserAgentSpecificMemory (page). */
    memoryMethod: 'cdp' | 'mUASM' | 'none';
    /** Whether worker-thread CPU came from /proc (CLI on Linux). */
    cpuMethod: 'proc' | 'none';
    /** Free text: what else ran on the machine, e.g. "shared 2-core VM". */
    notes: string[];
    /**
     * The engine the CLI drove (absent in older files and in page runs): its name and version, the
     * protocol (CDP for Chromium, WebDriver BiDi for Firefox) and whether the browser was attached
     * rather than launched (--browser-endpoint). crossOriginIsolated and timerGranularityUs above
     * are this engine's.
     */
    engine?: { name: 'chromium' | 'firefox'; version: string; protocol: 'cdp' | 'bidi'; remote: boolean };
  };
  arms: ArmV1[];
  scenarios: ScenarioV1[];
}

export interface ArmV1 {
  /** `js`, `raw`, `rust`, or `js'` (second copy in an A/A run). */
  id: string;
  sdk: SdkKind;
  /** Per protocol: the SDK's own version string, worker isolation and timer step. */
  workers: {
    protocol: Protocol;
    sdkVersion: string;
    crossOriginIsolated: boolean;
    timerGranularityUs: number;
    scriptUrl: string;
  }[];
}

export interface ScenarioV1 {
  /** Stable id (key in history): e.g. `rest-publish-single-100`. */
  id: string;
  protocol: Protocol;
  title: string;
  group: ScenarioGroup;
  unit: string;
  better: Direction;
  status: 'ok' | 'failed' | 'skipped';
  /** Why failed/skipped (integrity violation, error, no lab hooks on a real endpoint). */
  reason: string | null;
  rounds: number;
  warmupRounds: number;
  stoppedBy: 'resolved' | 'budget' | 'max-rounds' | 'stopped' | 'failed' | 'skipped';
  elapsedS: number;
  arms: ArmResultV1[];
  comparisons: ComparisonV1[];
  claims: ClaimV1[];
  server: { cpuFraction: number | null; bound: boolean };
}

export interface ArmResultV1 {
  arm: string;
  n: number;
  median: number | null;
  medianCi: CiV1;
  mean: number | null;
  meanCi: CiV1;
  min: number | null;
  max: number | null;
  cv: number | null;
  /** Primary value per measured round (paired by index across arms), rounded to 4 significant digits. */
  samples: number[];
  /** Latency scenarios: medians over samples of each sample's percentiles (ms). */
  latency: { p50: number; p95: number; p99: number } | null;
  /** Latency and throughput scenarios: median operations or messages per second. */
  rate: number | null;
  integrity: {
    expected: number;
    received: number;
    lost: number;
    duplicated: number;
    reordered: number;
    ok: boolean;
  } | null;
  /** Throughput scenarios: CPU time per message (pooled over samples, µs). */
  cpu: {
    workerUsPerMsg: number | null;
    serverUsPerMsg: number | null;
    /** Per measured round, in `samples` order (absent in older files; null: not readable that round). */
    workerUsPerMsgSamples?: (number | null)[];
  } | null;
  /**
   * Memory scenarios: medians of the deltas over the baseline taken just before (bytes), after
   * forced GC. total = jsHeapUsed + backing + wasmLive ("retained live"); wasmLinear = growth of
   * reserved linear memory (never shrinks; not in total); mUASM = cross-check (+ wasmLive).
   */
  memory: {
    jsHeapUsed: number;
    backing: number;
    wasmLinear: number;
    wasmLive?: number;
    total: number;
    mUASM: number | null;
  } | null;
  /** Cold start: bundle the worker loaded (bytes) and spawn→SDK-loaded time (ms). */
  coldStart: { loadedMs: number; bundleBytes: number; bundleGzipBytes: number } | null;
}

export interface ComparisonV1 {
  candidate: string;
  reference: string;
  /** Geometric mean of per-round ratios candidate/reference. */
  ratio: number | null;
  ci: CiV1;
  n: number;
  method: 't-log-ratio';
  /**
   * Nominal confidence of `ci` at this look (absent in older files = config.confidence). Larger
   * than config.confidence when auto-sampling looked many times: repeated confidence intervals
   * keep the overall level (src/lab/sequential.ts).
   */
  level?: number;
  verdict: Verdict;
  /**
   * Stream scenarios with worker CPU readable in both arms: the same pairing on worker CPU per
   * message, candidate/reference (lower = the candidate spends less CPU per message), at `level`.
   * Steadier than wall time where the server's sending shares the machine (docs/method.md).
   */
  cpu?: { ratio: number | null; ci: CiV1; n: number; verdict: Verdict };
}

export interface ClaimV1 {
  kind: 'speed' | 'memory';
  text: string;
  candidate: string;
  reference: string;
  /** Time-like threshold the candidate/reference ratio must stay at or under (0.6 or 0.5). */
  threshold: number;
  /** Time-like ratio and CI (rates inverted). */
  ratio: number | null;
  ci: CiV1;
  /** As ComparisonV1.level. */
  level?: number;
  status: ClaimStatus;
}

// ---------------------------------------------------------------------------------------------
// Validator: small combinators that report every problem with its path, readable.

type Check = (v: unknown, path: string, errs: string[]) => void;
const MAX_STRING = 4096;
const MAX_ERRORS = 20;

/** What a bad value was, in a few words: errors quote at most a short excerpt of untrusted data. */
const describe = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'array'
      : typeof v === 'string'
        ? `string "${excerpt(v)}"`
        : typeof v === 'number'
          ? String(v)
          : typeof v;

/** At most 40 characters of untrusted text, marked when cut. */
export function excerpt(s: string, max = 40): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length} characters)`;
}
const fail = (errs: string[], path: string, want: string, v: unknown) => {
  if (errs.length < MAX_ERRORS) errs.push(`${path}: expected ${want}, got ${describe(v)}`);
};

/**
 * Largest magnitude any figure may have: 1e15 (ms: 31,000 years; bytes: a petabyte; per second:
 * far beyond any link). A larger number is not a measurement, and 1e308 breaks the table.
 */
const MAX_MAGNITUDE = 1e15;
const plausible = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= MAX_MAGNITUDE;
const num: Check = (v, p, e) => (plausible(v) ? undefined : fail(e, p, `a finite number (|x| ≤ ${MAX_MAGNITUDE})`, v));
const numOrNull: Check = (v, p, e) =>
  v === null || plausible(v) ? undefined : fail(e, p, `a finite number (|x| ≤ ${MAX_MAGNITUDE}) or null`, v);
const nonNeg: Check = (v, p, e) => (plausible(v) && v >= 0 ? undefined : fail(e, p, 'a non-negative number', v));
const int: Check = (v, p, e) =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_MAGNITUDE
    ? undefined
    : fail(e, p, 'a non-negative integer', v);
const str: Check = (v, p, e) =>
  typeof v === 'string' && v.length <= MAX_STRING ? undefined : fail(e, p, `a string (≤${MAX_STRING} chars)`, v);
const strOrNull: Check = (v, p, e) => (v === null ? undefined : str(v, p, e));
const bool: Check = (v, p, e) => (typeof v === 'boolean' ? undefined : fail(e, p, 'a boolean', v));
const boolOrNull: Check = (v, p, e) =>
  v === null || typeof v === 'boolean' ? undefined : fail(e, p, 'a boolean or null', v);
const oneOf =
  (...allowed: readonly (string | number)[]): Check =>
  (v, p, e) =>
    allowed.includes(v as string)
      ? undefined
      : fail(e, p, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, v);
const arr =
  (item: Check, max = 10_000): Check =>
  (v, p, e) => {
    if (!Array.isArray(v) || v.length > max) return fail(e, p, `an array (≤${max} items)`, v);
    v.forEach((x, i) => item(x, `${p}[${i}]`, e));
  };
/** A key that may be absent (added within a schema version without breaking older files). */
const optionalKeys = new WeakSet<Check>();
const opt = (check: Check): Check => {
  const c: Check = (v, p, e) => check(v, p, e);
  optionalKeys.add(c);
  return c;
};
const obj =
  (shape: Record<string, Check>): Check =>
  (v, p, e) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(e, p, 'an object', v);
    const o = v as Record<string, unknown>;
    for (const [k, check] of Object.entries(shape)) {
      if (!(k in o)) {
        if (!optionalKeys.has(check) && e.length < MAX_ERRORS) e.push(`${p}.${k}: missing`);
      } else check(o[k], `${p}.${k}`, e);
    }
  };
const orNull =
  (check: Check): Check =>
  (v, p, e) =>
    v === null ? undefined : check(v, p, e);
const ci: Check = (v, p, e) => {
  if (!Array.isArray(v) || v.length !== 2) return fail(e, p, 'a [lo, hi] pair', v);
  numOrNull(v[0], `${p}[0]`, e);
  numOrNull(v[1], `${p}[1]`, e);
};

const verdicts = oneOf('faster', 'slower', 'equivalent', 'unsure');
const protocol = oneOf('json', 'msgpack');

const armResult = obj({
  arm: str,
  n: int,
  median: numOrNull,
  medianCi: ci,
  mean: numOrNull,
  meanCi: ci,
  min: numOrNull,
  max: numOrNull,
  cv: numOrNull,
  samples: arr(num),
  latency: orNull(obj({ p50: nonNeg, p95: nonNeg, p99: nonNeg })),
  rate: orNull(nonNeg),
  integrity: orNull(obj({ expected: int, received: int, lost: int, duplicated: int, reordered: int, ok: bool })),
  cpu: orNull(
    obj({ workerUsPerMsg: numOrNull, serverUsPerMsg: numOrNull, workerUsPerMsgSamples: opt(arr(numOrNull)) }),
  ),
  memory: orNull(
    obj({ jsHeapUsed: num, backing: num, wasmLinear: num, wasmLive: opt(num), total: num, mUASM: numOrNull }),
  ),
  coldStart: orNull(obj({ loadedMs: num, bundleBytes: int, bundleGzipBytes: int })),
});

const scenario = obj({
  id: str,
  protocol,
  title: str,
  group: oneOf('throughput', 'latency', 'memory', 'recovery', 'cold-start'),
  unit: str,
  better: oneOf('lower', 'higher'),
  status: oneOf('ok', 'failed', 'skipped'),
  reason: strOrNull,
  rounds: int,
  warmupRounds: int,
  stoppedBy: oneOf('resolved', 'budget', 'max-rounds', 'stopped', 'failed', 'skipped'),
  elapsedS: nonNeg,
  arms: arr(armResult, 16),
  comparisons: arr(
    obj({
      candidate: str,
      reference: str,
      ratio: numOrNull,
      ci,
      n: int,
      method: oneOf('t-log-ratio'),
      level: opt(num),
      verdict: verdicts,
      cpu: opt(obj({ ratio: numOrNull, ci, n: int, verdict: verdicts })),
    }),
    16,
  ),
  claims: arr(
    obj({
      kind: oneOf('speed', 'memory'),
      text: str,
      candidate: str,
      reference: str,
      threshold: num,
      ratio: numOrNull,
      ci,
      level: opt(num),
      status: oneOf('holds', 'fails', 'unsure', 'n/a'),
    }),
    8,
  ),
  server: obj({ cpuFraction: numOrNull, bound: bool }),
});

const resultsV1 = obj({
  schemaVersion: oneOf(1),
  tool: oneOf('ably-sdk-lab'),
  createdAt: str,
  durationS: nonNeg,
  config: obj({
    quick: bool,
    aa: bool,
    budgetS: num,
    scenarios: arr(str, 200),
    protocols: arr(protocol, 2),
    endpoint: obj({ kind: oneOf('local', 'remote'), host: str, port: int, tls: bool }),
    equivalenceMargin: num,
    confidence: num,
    crossOrigin: opt(bool),
    untilBudget: opt(bool),
  }),
  environment: obj({
    userAgent: str,
    browser: str,
    cores: int,
    crossOriginIsolated: bool,
    timerGranularityUs: num,
    gitCommit: strOrNull,
    gitDirty: boolOrNull,
    memoryMethod: oneOf('cdp', 'mUASM', 'none'),
    cpuMethod: oneOf('proc', 'none'),
    notes: arr(str, 50),
    engine: opt(
      obj({ name: oneOf('chromium', 'firefox'), version: str, protocol: oneOf('cdp', 'bidi'), remote: bool }),
    ),
  }),
  arms: arr(
    obj({
      id: str,
      sdk: oneOf('rust', 'js', 'raw'),
      workers: arr(
        obj({ protocol, sdkVersion: str, crossOriginIsolated: bool, timerGranularityUs: num, scriptUrl: str }),
        4,
      ),
    }),
    8,
  ),
  scenarios: arr(scenario, 400),
});

export type Validation = { ok: true; value: LabResultsV1 } | { ok: false; errors: string[] };

/** Checks an unknown value (parsed JSON) against schema v1, with readable, path-qualified errors. */
export function validateResults(v: unknown): Validation {
  const errors: string[] = [];
  if (
    typeof v === 'object' &&
    v !== null &&
    'schemaVersion' in v &&
    (v as { schemaVersion: unknown }).schemaVersion !== SCHEMA_VERSION
  ) {
    return {
      ok: false,
      errors: [
        `results.schemaVersion: this lab reads version ${SCHEMA_VERSION}, got ${describe((v as { schemaVersion: unknown }).schemaVersion)}`,
      ],
    };
  }
  resultsV1(v, 'results', errors);
  // Cross-references: every arm a scenario mentions must be declared.
  if (!errors.length) {
    const r = v as LabResultsV1;
    const ids = new Set(r.arms.map((a) => a.id));
    r.scenarios.forEach((s, i) => {
      s.arms.forEach(
        (a, j) =>
          ids.has(a.arm) || errors.push(`results.scenarios[${i}].arms[${j}].arm: unknown arm "${excerpt(a.arm)}"`),
      );
      s.comparisons.forEach((c, j) =>
        [c.candidate, c.reference].forEach(
          (a) => ids.has(a) || errors.push(`results.scenarios[${i}].comparisons[${j}]: unknown arm "${excerpt(a)}"`),
        ),
      );
    });
  }
  if (!errors.length) impossibleNumbers(v as LabResultsV1, errors);
  return errors.length ? { ok: false, errors } : { ok: true, value: v as LabResultsV1 };
}

/**
 * Numbers the shapes allow but a run cannot produce: an interval whose low end is above its
 * high end, a ratio or a ratio bound that is not positive, a negative median or sample of a
 * time or a rate (memory figures are deltas over a baseline and may be negative).
 */
function impossibleNumbers(r: LabResultsV1, errors: string[]): void {
  const push = (m: string) => errors.length < MAX_ERRORS && errors.push(m);
  const ordered = (ci: CiV1, path: string) => {
    if (ci[0] !== null && ci[1] !== null && ci[0] > ci[1]) push(`${path}: low end ${ci[0]} above high end ${ci[1]}`);
  };
  r.scenarios.forEach((s, i) => {
    const at = `results.scenarios[${i}]`;
    const signed = s.unit === 'bytes';
    s.arms.forEach((a, j) => {
      ordered(a.medianCi, `${at}.arms[${j}].medianCi`);
      ordered(a.meanCi, `${at}.arms[${j}].meanCi`);
      if (signed) return;
      const negative = [a.median, a.mean, a.min, ...a.medianCi, ...a.samples].some((x) => x !== null && x < 0);
      if (negative) push(`${at}.arms[${j}]: negative ${s.unit} figures (only memory deltas can be negative)`);
    });
    const ratios = [
      ...s.comparisons.map((c, j) => [c, `comparisons[${j}]`] as const),
      ...s.comparisons.flatMap((c, j) => (c.cpu ? [[c.cpu, `comparisons[${j}].cpu`] as const] : [])),
      ...s.claims.map((c, j) => [c, `claims[${j}]`] as const),
    ];
    for (const [c, where] of ratios) {
      ordered(c.ci, `${at}.${where}.ci`);
      // A bound of 0 is what one round gives (exp(−∞)): the interval is unbounded there.
      if ((c.ratio !== null && !(c.ratio > 0)) || c.ci.some((x) => x !== null && x < 0))
        push(`${at}.${where}: a ratio must be positive and its CI not negative`);
    }
  });
}

/** Infinity/NaN → null (JSON has neither). */
/**
 * A computed figure as results carry it: null when it is not a measurable number — NaN, infinite,
 * or beyond MAX_MAGNITUDE. The last happens to honest statistics: a t interval from two widely
 * spread rounds can span e^±35, and an end that far out means "unbounded", not 1.9e15.
 */
export function figureOrNull(x: number | undefined): number | null {
  return plausible(x) ? x : null;
}

/** Rounds to `digits` significant digits (samples in results and links). */
export function roundSig(x: number, digits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(digits));
}
