/**
 * History for the dashboard (pure): github-action-benchmark's `data.js` / JSON (what the CI's
 * benchmark step stores, names from src/lab/summary.ts `benchmarkActionJson`: `<scenario>
 * [<protocol>] <arm>` for medians, `… <cand>/<ref> time ratio` for ratios), the lab's own
 * results files and merged files of several runs (each run a point), merged into one time axis:
 * per scenario, each ratio's and each arm's median per run and engine. Engines are never joined
 * into one line: every series is named with its engine (`rust/js · firefox`). data.js is parsed
 * as JSON after stripping its `window.BENCHMARK_DATA =` prefix, never run.
 */
import { engineKey } from '../lab/engine';
import { timeLikeOf } from '../lab/headline';
import { isMerged, type LabMergedV1, validateMerged } from '../lab/merged';
import { excerpt, type LabResultsV1, validateResults } from '../lab/results';

export interface BenchmarkRun {
  commit?: { id?: string; message?: string; timestamp?: string; url?: string };
  date?: number;
  tool?: string;
  benches: { name: string; value: number; unit?: string; range?: string; extra?: string }[];
}
export interface BenchmarkData {
  lastUpdate?: number;
  repoUrl?: string;
  entries: Record<string, BenchmarkRun[]>;
}

export interface Run {
  id: string;
  time: number;
  label: string;
  source: string;
  /**
   * Where the run was measured: `page` (the lab page: no CDP, memory via mUASM; its medians run
   * about 2× the CLI's) or `cli` (npm run lab, and CI's data.js). Mixing them on one line unmarked
   * reads as a regression.
   */
  kind: 'page' | 'cli';
  /** The engine it ran in (src/lab/engine.ts `engineKey`): `chromium`, `firefox`, … */
  engine: string;
}
export interface ScenarioSeries {
  key: string;
  unit: string;
  /** Per pair and engine `rust/js · chromium`: time-like ratio per run (index = runs index), null when absent. */
  ratios: Record<string, (number | null)[]>;
  /** Per pair: the ratio's time-like CI per run, null when unknown. */
  ratioCi: Record<string, ([number, number] | null)[]>;
  /** Per arm and engine (`rust · firefox`): median per run. */
  medians: Record<string, (number | null)[]>;
}
export interface History {
  runs: Run[];
  scenarios: ScenarioSeries[];
}

const PREFIX = /^\s*window\.BENCHMARK_DATA\s*=\s*/;

/** A series of one engine: `rust/js · chromium`. Two engines' figures never share a line. */
export const seriesName = (series: string, engine: string): string => `${series} · ${engine}`;

/** data.js holds the CI gate's series, and the gate runs in Chromium only (.github/workflows/benchmark.yml). */
const BENCHMARK_DATA_ENGINE = 'chromium';

/** Parses data.js or its JSON; throws a readable Error on anything else. */
export function parseBenchmarkData(text: string): BenchmarkData {
  const body = text.replace(PREFIX, '').replace(/;\s*$/, '');
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    throw new Error('not github-action-benchmark data (expected `window.BENCHMARK_DATA = {…}` or its JSON)');
  }
  const entries = (v as { entries?: unknown })?.entries;
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries))
    throw new Error('benchmark data has no "entries" object');
  for (const [suite, runs] of Object.entries(entries)) {
    if (!Array.isArray(runs)) throw new Error(`entries["${excerpt(suite)}"] is not an array`);
    runs.forEach((r: unknown, i) => {
      const b = (r as { benches?: unknown })?.benches;
      if (
        !Array.isArray(b) ||
        !b.every((x) => typeof x?.name === 'string' && typeof x?.value === 'number' && Number.isFinite(x.value))
      )
        throw new Error(`entries["${excerpt(suite)}"][${i}].benches is not a list of {name, value}`);
    });
  }
  return v as BenchmarkData;
}

/** `<scenario> [<protocol>] <rest>` → parts; rest is an arm, `<arm> worker CPU` or `<c>/<r> time ratio`. */
export function parseBenchName(
  name: string,
): { key: string; kind: 'median' | 'ratio' | 'other'; series: string } | null {
  const m = /^(.+?) \[(json|msgpack)\] (.+)$/.exec(name);
  if (!m) return null;
  const key = `${m[1]} [${m[2]}]`;
  const rest = m[3]!;
  const ratio = /^(.+\/.+) time ratio$/.exec(rest);
  if (ratio) return { key, kind: 'ratio', series: ratio[1]! };
  if (/ worker CPU$/.test(rest)) return { key, kind: 'other', series: rest };
  return { key, kind: 'median', series: rest };
}

class Builder {
  readonly runs: Run[] = [];
  private readonly points: {
    run: Run;
    key: string;
    kind: 'ratio' | 'median';
    series: string;
    unit: string;
    value: number;
    ci: [number, number] | null;
  }[] = [];

  run(r: Run): Run {
    const same = this.runs.find((x) => x.id === r.id);
    if (same) return same;
    this.runs.push(r);
    return r;
  }

  add(
    run: Run,
    key: string,
    kind: 'ratio' | 'median',
    series: string,
    unit: string,
    value: number,
    ci: [number, number] | null = null,
  ): void {
    this.points.push({ run, key, kind, series, unit, value, ci });
  }

  build(): History {
    const runs = [...this.runs].sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
    uniqueLabels(runs);
    const idx = new Map(runs.map((r, i) => [r, i]));
    const byKey = new Map<string, ScenarioSeries>();
    for (const p of this.points) {
      let s = byKey.get(p.key);
      // Series names come from files: a name like `__proto__` must be a key like any other, never
      // reach Object.prototype, so the tables have no prototype.
      if (!s) {
        s = {
          key: p.key,
          unit: '',
          ratios: Object.create(null),
          ratioCi: Object.create(null),
          medians: Object.create(null),
        };
        byKey.set(p.key, s);
      }
      if (p.kind === 'median') s.unit ||= p.unit;
      const table = p.kind === 'ratio' ? s.ratios : s.medians;
      if (!Object.hasOwn(table, p.series)) table[p.series] = runs.map(() => null);
      table[p.series]![idx.get(p.run)!] = p.value;
      if (p.kind === 'ratio') {
        if (!Object.hasOwn(s.ratioCi, p.series)) s.ratioCi[p.series] = runs.map(() => null);
        s.ratioCi[p.series]![idx.get(p.run)!] = p.ci;
      }
    }
    return { runs, scenarios: [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key)) };
  }
}

/**
 * Runs of the same commit got the same x label, so their points looked like one run: later
 * ones get their time (and, if still equal, a number); page runs are marked.
 */
function uniqueLabels(runs: Run[]): void {
  const seen = new Map<string, number>();
  for (const r of runs) {
    if (r.kind === 'page') r.label += ' (page)';
    const n = seen.get(r.label) ?? 0;
    seen.set(r.label, n + 1);
    if (n) r.label += ` ${new Date(r.time).toISOString().slice(5, 16).replace('T', ' ')}`;
  }
  const again = new Map<string, number>();
  for (const r of runs) {
    const n = again.get(r.label) ?? 0;
    again.set(r.label, n + 1);
    if (n) r.label += ` #${n + 1}`;
  }
}

/** github-action-benchmark's `range` as this lab writes it: "[0.45–0.55]". */
function parseRange(range: string | undefined): [number, number] | null {
  const m = /^\[([\d.,]+)[–-]([\d.,]+)\]$/.exec(range ?? '');
  if (!m) return null;
  const [lo, hi] = [Number(m[1]!.replace(/,/g, '')), Number(m[2]!.replace(/,/g, ''))];
  return Number.isFinite(lo) && Number.isFinite(hi) && lo > 0 && lo <= hi ? [lo, hi] : null;
}

export function addBenchmarkData(b: Builder, data: BenchmarkData, source: string): void {
  for (const runs of Object.values(data.entries)) {
    for (const r of runs) {
      const time = r.commit?.timestamp ? Date.parse(r.commit.timestamp) : (r.date ?? 0);
      const id = r.commit?.id ?? String(r.date ?? time);
      const run = b.run({
        id,
        time: Number.isFinite(time) ? time : 0,
        label: r.commit?.id ? r.commit.id.slice(0, 7) : new Date(time).toISOString().slice(0, 16),
        source,
        // data.js comes from CI, which runs the CLI.
        kind: 'cli',
        engine: BENCHMARK_DATA_ENGINE,
      });
      for (const bench of r.benches) {
        const p = parseBenchName(bench.name);
        if (!p || p.kind === 'other') continue;
        b.add(
          run,
          p.key,
          p.kind,
          seriesName(p.series, run.engine),
          bench.unit ?? '',
          bench.value,
          p.kind === 'ratio' ? parseRange(bench.range) : null,
        );
      }
    }
  }
}

export function addResults(b: Builder, r: LabResultsV1, source: string): void {
  const time = Date.parse(r.createdAt);
  const engine = engineKey(r.environment);
  const run = b.run({
    // The engine is part of the id: two engines' runs of one commit and time stay two runs.
    id: `${r.environment.gitCommit ? `${r.environment.gitCommit}@${r.createdAt}` : r.createdAt}|${engine}`,
    time: Number.isFinite(time) ? time : 0,
    label: r.environment.gitCommit ? r.environment.gitCommit.slice(0, 7) : r.createdAt.slice(0, 16),
    source,
    // Only the lab page reads memory with measureUserAgentSpecificMemory; the CLI uses CDP.
    kind: r.environment.memoryMethod === 'mUASM' ? 'page' : 'cli',
    engine,
  });
  for (const s of r.scenarios) {
    if (s.status !== 'ok') continue;
    const key = `${s.id} [${s.protocol}]`;
    for (const a of s.arms)
      if (a.median !== null) b.add(run, key, 'median', seriesName(a.arm, engine), s.unit, a.median);
    for (const c of s.comparisons) {
      if (c.ratio === null || !(c.ratio > 0)) continue;
      const t = timeLikeOf(c, s);
      const [lo, hi] = t.ci;
      b.add(
        run,
        key,
        'ratio',
        seriesName(`${c.candidate}/${c.reference}`, engine),
        'ratio',
        t.ratio!,
        lo !== null && hi !== null && lo > 0 ? [lo, hi] : null,
      );
    }
  }
}

/** One input file: data.js / benchmark JSON, a lab results JSON, or a merged file of several runs. */
export function classify(
  text: string,
):
  | { kind: 'benchmark'; data: BenchmarkData }
  | { kind: 'results'; results: LabResultsV1 }
  | { kind: 'merged'; merged: LabMergedV1 } {
  if (PREFIX.test(text)) return { kind: 'benchmark', data: parseBenchmarkData(text) };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error('neither data.js nor JSON');
  }
  if (typeof v === 'object' && v !== null && 'entries' in v)
    return { kind: 'benchmark', data: parseBenchmarkData(text) };
  if (isMerged(v)) {
    const m = validateMerged(v);
    if (!m.ok) throw new Error(`not a valid merged lab file: ${m.errors.slice(0, 3).join('; ')}`);
    return { kind: 'merged', merged: m.value };
  }
  const r = validateResults(v);
  if (!r.ok) throw new Error(`not lab results: ${r.errors.slice(0, 3).join('; ')}`);
  return { kind: 'results', results: r.value };
}

/** Builds the history from named files; files that fail are reported, the rest still count. */
export function buildHistory(files: { name: string; text: string }[]): { history: History; errors: string[] } {
  const b = new Builder();
  const errors: string[] = [];
  for (const f of files) {
    try {
      const c = classify(f.text);
      if (c.kind === 'benchmark') addBenchmarkData(b, c.data, f.name);
      else if (c.kind === 'merged') c.merged.runs.forEach((r, i) => addResults(b, r, `${f.name} (run ${i + 1})`));
      else addResults(b, c.results, f.name);
    } catch (e) {
      errors.push(`${f.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { history: b.build(), errors };
}
