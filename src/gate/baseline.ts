/**
 * The committed baseline (`bench/baseline.json`) and reading lab results for the gate. Pure
 * (parsing and validation only; the CLI does the I/O).
 *
 * The baseline stores the gate's metrics of one lab run (not the raw samples): small, readable
 * in a diff, and versioned independently of the lab's results schema. Refresh it with
 * `npm run bench:baseline` (README, "Regression gate").
 */
import { type LabResultsV1, SCHEMA_VERSION, validateResults } from '../lab/results';
import { roundSig } from '../lab/results';
import { extractMetrics, type Metric } from './metrics';

export const BASELINE_FORMAT = 'ably-sdk-lab-gate-baseline';
export const BASELINE_VERSION = 1;

export interface BaselineV1 {
  format: typeof BASELINE_FORMAT;
  version: 1;
  /** The lab results schema the metrics were extracted from. */
  resultsSchemaVersion: number;
  createdAt: string;
  /** Where the run came from (for the reader; the gate does not compare these). */
  source: {
    gitCommit: string | null;
    gitDirty: boolean | null;
    browser: string;
    cores: number;
    quick: boolean;
    arms: string[];
    protocols: string[];
    notes: string[];
  };
  metrics: Metric[];
}

export class GateInputError extends Error {}

const sig = (x: number | null) => (x === null ? null : roundSig(x, 4));

/** Builds a baseline from a validated run. */
export function makeBaseline(r: LabResultsV1): BaselineV1 {
  return {
    format: BASELINE_FORMAT,
    version: BASELINE_VERSION,
    resultsSchemaVersion: r.schemaVersion,
    createdAt: r.createdAt,
    source: {
      gitCommit: r.environment.gitCommit,
      gitDirty: r.environment.gitDirty,
      browser: r.environment.browser,
      cores: r.environment.cores,
      quick: r.config.quick,
      arms: r.arms.map((a) => a.id),
      protocols: r.config.protocols,
      notes: r.environment.notes,
    },
    metrics: extractMetrics(r).map((m) => ({ ...m, value: roundSig(m.value, 4), ci: [sig(m.ci[0]), sig(m.ci[1])] })),
  };
}

/** The baseline as JSON with one metric per line (short, reviewable diffs when it is refreshed). */
export function formatBaseline(b: BaselineV1): string {
  const { metrics, ...head } = b;
  const top = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  return `${top},\n  "metrics": [\n${metrics.map((m) => `    ${JSON.stringify(m)}`).join(',\n')}\n  ]\n}\n`;
}

/** Parses lab results JSON for the gate; a schema version mismatch or invalid file is a clear error. */
export function parseResults(text: string, what = 'results'): LabResultsV1 {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new GateInputError(`${what}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const version = typeof v === 'object' && v !== null ? (v as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (version !== SCHEMA_VERSION) {
    throw new GateInputError(
      `${what}: results schema version ${JSON.stringify(version)} — this gate reads version ${SCHEMA_VERSION}. ` +
        'Re-run the lab with this checkout (`npm run lab -- --quick`), or, ' +
        'if the schema changed on purpose, update src/gate and refresh the baseline (`npm run bench:baseline`).',
    );
  }
  const res = validateResults(v);
  if (!res.ok)
    throw new GateInputError(
      `${what}: not valid lab results (schema v${SCHEMA_VERSION}):\n  ${res.errors.join('\n  ')}`,
    );
  return res.value;
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isNumOrNull = (x: unknown) => x === null || isNum(x);

/** Parses and validates `bench/baseline.json`. */
export function parseBaseline(text: string, what = 'baseline'): BaselineV1 {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new GateInputError(`${what}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const b = v as Partial<BaselineV1> | null;
  if (typeof b !== 'object' || b === null || b.format !== BASELINE_FORMAT) {
    throw new GateInputError(
      `${what}: not a gate baseline (expected "format": "${BASELINE_FORMAT}"). Create one with \`npm run bench:baseline\`.`,
    );
  }
  if (b.version !== BASELINE_VERSION) {
    throw new GateInputError(
      `${what}: baseline format version ${JSON.stringify(b.version)} — this gate reads version ${BASELINE_VERSION}. ` +
        `Refresh it with \`npm run bench:baseline\`.`,
    );
  }
  if (b.resultsSchemaVersion !== SCHEMA_VERSION) {
    throw new GateInputError(
      `${what}: made from lab results schema version ${JSON.stringify(b.resultsSchemaVersion)}, ` +
        `this lab writes version ${SCHEMA_VERSION}; ` +
        `metrics may not mean the same. Refresh it with \`npm run bench:baseline\`.`,
    );
  }
  if (!Array.isArray(b.metrics)) throw new GateInputError(`${what}.metrics: expected an array`);
  const seen = new Set<string>();
  b.metrics.forEach((m, i) => {
    const p = `${what}.metrics[${i}]`;
    if (typeof m?.id !== 'string' || !m.id) throw new GateInputError(`${p}.id: expected a string`);
    if (seen.has(m.id)) throw new GateInputError(`${p}: duplicate metric "${m.id}"`);
    seen.add(m.id);
    if (m.kind !== 'ratio' && m.kind !== 'absolute')
      throw new GateInputError(`${p}.kind: expected "ratio" or "absolute"`);
    if (m.better !== 'lower' && m.better !== 'higher')
      throw new GateInputError(`${p}.better: expected "lower" or "higher"`);
    if (!isNum(m.value) || m.value <= 0) throw new GateInputError(`${p}.value: expected a positive number`);
    if (!Array.isArray(m.ci) || m.ci.length !== 2 || !m.ci.every(isNumOrNull))
      throw new GateInputError(`${p}.ci: expected [lo, hi] (numbers or null)`);
  });
  return b as BaselineV1;
}
