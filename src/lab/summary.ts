/**
 * Human-readable views of a results object (pure): the rows of the CLI table, the Markdown
 * summary for CI job summaries, and github-action-benchmark input (customSmallerIsBetter /
 * customBiggerIsBetter). The CI gate (src/gate/) reuses these.
 */
import type { CiV1, ComparisonV1, LabResultsV1, ScenarioV1 } from './results';
import { timeLike } from './verdict';

/** 3 significant digits, thousands grouped (12,300; 1.23; 0.0123). */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(3)).toString();
}

export function fmtCi(ci: CiV1): string {
  return `[${fmt(ci[0])}–${fmt(ci[1])}]`;
}

function fmtBytes(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a >= 1024 * 1024) return `${(x / 1024 / 1024).toPrecision(3)} MiB`;
  if (a >= 1024) return `${(x / 1024).toPrecision(3)} KiB`;
  return `${Math.round(x)} B`;
}

function value(s: ScenarioV1, x: number | null): string {
  return s.unit === 'bytes' ? fmtBytes(x) : fmt(x);
}

function ratioText(c: ComparisonV1): string {
  return `${c.candidate}/${c.reference} ${fmt(c.ratio)} ${fmtCi(c.ci)} ${c.verdict}`;
}

export interface TableRow {
  scenario: string;
  unit: string;
  arms: Record<string, string>;
  ratios: string;
  claim: string;
  integrity: string;
  notes: string;
}

export function tableRows(r: LabResultsV1): TableRow[] {
  return r.scenarios.map((s) => {
    const arms: Record<string, string> = {};
    for (const a of r.arms) {
      const ar = s.arms.find((x) => x.arm === a.id);
      arms[a.id] = ar?.n ? `${value(s, ar.median)} ${s.unit === 'bytes' ? '' : fmtCi(ar.medianCi)}`.trim() : '–';
    }
    const integ = s.arms.filter((a) => a.integrity);
    const notes: string[] = [];
    if (s.status !== 'ok') notes.push(`${s.status.toUpperCase()}: ${s.reason ?? ''}`);
    if (s.server.bound) notes.push(`server-bound (${fmt((s.server.cpuFraction ?? 0) * 100)}% of a core)`);
    for (const a of s.arms) {
      if (a.cpu?.workerUsPerMsg != null) notes.push(`${a.arm} ${fmt(a.cpu.workerUsPerMsg)} µs CPU/msg`);
      if (a.latency && s.unit === 'ms') notes.push(`${a.arm} p95/p99 ${fmt(a.latency.p95)}/${fmt(a.latency.p99)}`);
      if (a.coldStart)
        notes.push(`${a.arm} ${fmtBytes(a.coldStart.bundleBytes)} (${fmtBytes(a.coldStart.bundleGzipBytes)} gz)`);
    }
    notes.push(`n=${s.rounds}`);
    return {
      scenario: `${s.id}${s.protocol === 'json' ? '' : ` [${s.protocol}]`}`,
      unit: s.unit,
      arms,
      ratios: s.comparisons.map(ratioText).join('; ') || '–',
      claim:
        s.claims
          .map((c) =>
            c.status === 'n/a'
              ? 'n/a (no rust arm)'
              : `${c.kind} ${c.status} (${fmt(c.ratio)} ${fmtCi(c.ci)} vs ≤${c.threshold})`,
          )
          .join('; ') || '–',
      integrity: integ.length
        ? integ
            .map((a) => `${a.arm} ${a.integrity!.lost}/${a.integrity!.duplicated}/${a.integrity!.reordered}`)
            .join(' ')
        : '–',
      notes: notes.join('; '),
    };
  });
}

/** Plain-text table with aligned columns. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (c ?? '').padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function resultsTable(r: LabResultsV1): string {
  const ids = r.arms.map((a) => a.id);
  const header = [
    'scenario',
    'unit',
    ...ids.map((id) => `${id} median [95% CI]`),
    'ratio [CI] verdict',
    'claim',
    'lost/dup/reord',
    'notes',
  ];
  return textTable(
    header,
    tableRows(r).map((t) => [
      t.scenario,
      t.unit,
      ...ids.map((id) => t.arms[id] ?? '–'),
      t.ratios,
      t.claim,
      t.integrity,
      t.notes,
    ]),
  );
}

/** The distinct nominal CI levels of the run's comparisons, e.g. "98.5%" or "95%–99.3%". */
function levels(r: LabResultsV1): string {
  const ls = [...new Set(r.scenarios.flatMap((s) => s.comparisons.map((c) => c.level ?? r.config.confidence)))].sort(
    (a, b) => a - b,
  );
  const pct = (x: number) => `${(x * 100).toFixed(1).replace(/\.0$/, '')}%`;
  if (!ls.length) return pct(r.config.confidence);
  return ls.length === 1 ? pct(ls[0]!) : `${pct(ls[0]!)}–${pct(ls[ls.length - 1]!)}`;
}

const esc = (s: string) => s.replace(/\|/g, '\\|');

/** A run with failed scenarios says so before the table: which, after how many rounds, and why. */
function failedLines(r: LabResultsV1): string[] {
  const failed = r.scenarios.filter((s) => s.status === 'failed');
  if (!failed.length) return [];
  return [
    '',
    `**${failed.length} of ${r.scenarios.length} scenarios failed** (the others completed):`,
    ...failed.map(
      (s) => `- ${esc(s.id)} [${s.protocol}] after ${s.rounds} rounds: ${esc(s.reason ?? 'no reason recorded')}`,
    ),
  ];
}

export function markdownSummary(r: LabResultsV1, permalink?: string): string {
  const ids = r.arms.map((a) => a.id);
  const e = r.environment;
  const out = [
    `## Ably SDK Lab${r.config.aa ? ' (A/A noise floor)' : ''}${r.config.quick ? ' — quick run' : ''}`,
    '',
    `${e.browser}, ${e.cores} cores, crossOriginIsolated=${e.crossOriginIsolated}, timer ${fmt(e.timerGranularityUs)} µs; commit ${e.gitCommit?.slice(0, 10) ?? '?'}${e.gitDirty ? ' (dirty)' : ''}; ${r.arms.map((a) => `${a.id}: ${a.workers[0]?.sdkVersion ?? '?'}`).join(', ')}; endpoint ${r.config.endpoint.kind}${r.config.crossOrigin ? ' (cross-origin variant: REST pays CORS preflights)' : ''}; ${r.durationS} s; memory via ${e.memoryMethod}, CPU via ${e.cpuMethod}.`,
    ...e.notes.map((n) => `> ${n}`),
    ...failedLines(r),
    '',
    `| scenario | unit | ${ids.map((id) => `${id} median [95% CI]`).join(' | ')} | ratio [CI] verdict | claim | lost/dup/reord | notes |`,
    `|---|---|${ids.map(() => '---|').join('')}---|---|---|---|`,
    ...tableRows(r).map(
      (t) =>
        `| ${esc(t.scenario)} | ${t.unit} | ${ids.map((id) => esc(t.arms[id] ?? '–')).join(' | ')} | ${esc(t.ratios)} | ${esc(t.claim)} | ${t.integrity} | ${esc(t.notes)} |`,
    ),
    '',
    "Ratios are candidate/reference of each scenario's primary value, geometric mean of paired per-round ratios with a t-interval on log-ratios. " +
      `Auto-sampling looks after every round, so each ratio CI is a repeated confidence interval: its nominal level (${levels(r)}) keeps the overall level at ${r.config.confidence * 100}% over all looks. ` +
      'Verdicts: equivalent = CI within ±' +
      `${r.config.equivalenceMargin * 100}%, faster/slower = CI excludes 1 and the estimate is beyond the margin, else unsure.`,
  ];
  if (permalink) out.push('', `[Open these results in the lab page](${permalink})`);
  return `${out.join('\n')}\n`;
}

export interface BenchmarkEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

/**
 * github-action-benchmark `customSmallerIsBetter` / `customBiggerIsBetter` inputs. Ratios are
 * time-like (candidate/reference; below 1 = candidate better) so they all go in "smaller"; they
 * self-normalise for machine speed (docs/method.md#from-runs-to-ci). Names are stable: `<scenario> [<protocol>] <what>`.
 */
export function benchmarkActionJson(
  r: LabResultsV1,
  permalink?: string,
): { smaller: BenchmarkEntry[]; bigger: BenchmarkEntry[] } {
  const smaller: BenchmarkEntry[] = [];
  const bigger: BenchmarkEntry[] = [];
  for (const s of r.scenarios) {
    if (s.status !== 'ok') continue;
    const key = `${s.id} [${s.protocol}]`;
    for (const a of s.arms) {
      if (a.median === null) continue;
      const entry: BenchmarkEntry = {
        name: `${key} ${a.arm}`,
        unit: s.unit,
        value: a.median,
        range: fmtCi(a.medianCi),
        extra: `n=${a.n}`,
      };
      (s.better === 'lower' ? smaller : bigger).push(entry);
      if (a.cpu?.workerUsPerMsg != null)
        smaller.push({ name: `${key} ${a.arm} worker CPU`, unit: 'µs/msg', value: a.cpu.workerUsPerMsg });
    }
    for (const c of s.comparisons) {
      if (c.ratio === null || c.ci[0] === null || c.ci[1] === null) continue;
      const t = timeLike(c.ratio, { lo: c.ci[0], hi: c.ci[1] }, s.better);
      smaller.push({
        name: `${key} ${c.candidate}/${c.reference} time ratio`,
        unit: 'ratio',
        value: t.ratio,
        range: `[${fmt(t.ci.lo)}–${fmt(t.ci.hi)}]`,
        extra: `n=${c.n}; verdict ${c.verdict}${permalink ? `; ${permalink.length > 1500 ? 'permalink in results/latest.permalink.txt' : permalink}` : ''}`,
      });
    }
  }
  return { smaller, bigger };
}
