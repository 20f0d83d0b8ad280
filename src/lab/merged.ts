/**
 * Several lab runs in one file (`npm run lab:merge a.json b.json --out merged.json`): runs from
 * different engines, machines or CI matrix jobs, each kept whole — its own environment (engine,
 * version, isolation, timer, cores, notes), config and scenarios — because figures from different
 * machines are only comparable through each run's own paired ratios, never by mixing samples.
 */
import { type LabResultsV1, validateResults } from './results';

export interface LabMergedV1 {
  tool: 'ably-sdk-lab';
  kind: 'merged';
  schemaVersion: 1;
  /** ISO 8601. */
  mergedAt: string;
  /** Each input run as it was written, in the order given. */
  runs: LabResultsV1[];
}

/** Most runs a merged file may hold (a CI matrix has a few; a hostile file must not have 100,000). */
export const MAX_MERGED_RUNS = 64;
const MAX_ERRORS = 20;

export type MergedValidation = { ok: true; value: LabMergedV1 } | { ok: false; errors: string[] };

export function isMerged(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'merged';
}

/** Checks a merged file: its envelope, then every run against the results schema (errors name the run). */
export function validateMerged(v: unknown): MergedValidation {
  if (!isMerged(v)) return { ok: false, errors: ['merged: expected an object with kind "merged"'] };
  const m = v as Partial<LabMergedV1>;
  const errors: string[] = [];
  if (m.tool !== 'ably-sdk-lab') errors.push('merged.tool: expected "ably-sdk-lab"');
  if (m.schemaVersion !== 1)
    errors.push(`merged.schemaVersion: this lab reads version 1, got ${JSON.stringify(m.schemaVersion)}`);
  if (typeof m.mergedAt !== 'string') errors.push('merged.mergedAt: expected a string');
  if (!Array.isArray(m.runs) || m.runs.length === 0) errors.push('merged.runs: expected a non-empty array');
  else if (m.runs.length > MAX_MERGED_RUNS)
    errors.push(`merged.runs: expected at most ${MAX_MERGED_RUNS} runs, got ${m.runs.length}`);
  else
    for (const [i, r] of m.runs.entries()) {
      if (errors.length >= MAX_ERRORS) break;
      const c = validateResults(r);
      if (!c.ok) errors.push(...c.errors.map((e) => `merged.runs[${i}]: ${e}`));
    }
  if (errors.length > MAX_ERRORS) errors.length = MAX_ERRORS;
  return errors.length ? { ok: false, errors } : { ok: true, value: v as LabMergedV1 };
}

/**
 * Merges results files and merged files (a merged input contributes its runs) into one, in order.
 * Throws with every problem named by its input's position when an input is not valid.
 */
export function mergeRuns(inputs: { name: string; value: unknown }[], mergedAt: Date): LabMergedV1 {
  const runs: LabResultsV1[] = [];
  const errors: string[] = [];
  for (const { name, value } of inputs) {
    if (isMerged(value)) {
      const c = validateMerged(value);
      if (c.ok) runs.push(...c.value.runs);
      else errors.push(...c.errors.map((e) => `${name}: ${e}`));
      continue;
    }
    const c = validateResults(value);
    if (c.ok) runs.push(c.value);
    else errors.push(...c.errors.map((e) => `${name}: ${e}`));
  }
  if (runs.length > MAX_MERGED_RUNS) errors.push(`${runs.length} runs: a merged file holds at most ${MAX_MERGED_RUNS}`);
  if (errors.length) throw new Error(errors.join('\n'));
  return { tool: 'ably-sdk-lab', kind: 'merged', schemaVersion: 1, mergedAt: mergedAt.toISOString(), runs };
}

/** A short name per run for tables: engine (or browser) and, when several runs share it, its position. */
export function runLabels(runs: readonly LabResultsV1[]): string[] {
  const base = runs.map((r) => r.environment.engine?.name ?? r.environment.browser);
  return base.map((b, i) => (base.filter((x) => x === b).length > 1 ? `${b} #${i + 1}` : b));
}

const fmt3 = (x: number | null) => (x === null ? '?' : x.toFixed(3));

export interface EngineComparison {
  /** runLabels of the runs, in order. */
  labels: string[];
  /** Per scenario (`id [protocol]`): which direction is good, and the pair in each run. */
  rows: { key: string; better: string; cells: string[] }[];
}

/**
 * Per scenario, candidate/reference (ratio of the primary value, CI at the run's level, verdict)
 * in each run, or what the run did instead ("not run", "skipped", "failed", "no pair"). Each
 * run's own pairing cancels its machine's load; across runs only these ratios compare.
 */
export function engineComparisonRows(
  runs: readonly LabResultsV1[],
  candidate = 'rust',
  reference = 'js',
): EngineComparison {
  const keys: string[] = [];
  for (const r of runs)
    for (const s of r.scenarios) {
      const k = `${s.id} [${s.protocol}]`;
      if (!keys.includes(k)) keys.push(k);
    }
  const rows = keys.map((key) => {
    let better = '';
    const cells = runs.map((r) => {
      const s = r.scenarios.find((x) => `${x.id} [${x.protocol}]` === key);
      if (!s) return 'not run';
      better = s.better;
      if (s.status !== 'ok') return s.status;
      const c = s.comparisons.find((x) => x.candidate === candidate && x.reference === reference);
      return c ? `${fmt3(c.ratio)} [${fmt3(c.ci[0])}, ${fmt3(c.ci[1])}] ${c.verdict}` : 'no pair';
    });
    return { key, better, cells };
  });
  return { labels: runLabels(runs), rows };
}
