/**
 * Human-readable views of a results object (pure): the rows of the CLI table, the Markdown
 * summary for CI job summaries, and github-action-benchmark input (customSmallerIsBetter /
 * customBiggerIsBetter). The CI gate (src/gate/) reuses these.
 */
import {
  claimCell,
  comparisonChange,
  headlineComparison,
  isMemory,
  runSummary,
  scenarioHeadline,
  stoppedByText,
  tailWarning,
  verdictWord,
} from './headline';
import { engineLabel } from './engine';
import { engineComparisonRows, type LabMergedV1 } from './merged';
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

export function fmtBytes(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a >= 1024 * 1024) return `${(x / 1024 / 1024).toPrecision(3)} MiB`;
  if (a >= 1024) return `${(x / 1024).toPrecision(3)} KiB`;
  return `${Math.round(x)} B`;
}

function value(s: ScenarioV1, x: number | null): string {
  return s.unit === 'bytes' ? fmtBytes(x) : fmt(x);
}

/** A pair's worker CPU per message, candidate/reference: "CPU/msg ×0.52 [0.50–0.54]". */
export function cpuRatioText(cpu: NonNullable<ComparisonV1['cpu']>): string {
  return `CPU/msg ×${fmt(cpu.ratio)} ${fmtCi(cpu.ci)}`;
}

/**
 * One pair in the full grid, in the headline's words: "rust vs js 9% slower [1–16%] → slower",
 * then, for stream scenarios, the same pair's worker CPU per message: "CPU/msg ×0.52 [0.50–0.54]".
 */
function ratioText(s: ScenarioV1, c: ComparisonV1): string {
  const cpu = c.cpu ? ` (${cpuRatioText(c.cpu)})` : '';
  return `${c.candidate} vs ${c.reference} ${comparisonChange(s, c)} → ${verdictWord(c.verdict, isMemory(s))}${cpu}`;
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
    // Arm ids come from files: no prototype, so an id like `__proto__` is just a key.
    const arms: Record<string, string> = Object.create(null);
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
      if (a.memory)
        notes.push(
          `${a.arm} JS heap ${fmtBytes(a.memory.jsHeapUsed)}, wasm live ${a.memory.wasmLive === undefined ? '–' : fmtBytes(a.memory.wasmLive)}`,
        );
      if (a.coldStart)
        notes.push(`${a.arm} ${fmtBytes(a.coldStart.bundleBytes)} (${fmtBytes(a.coldStart.bundleGzipBytes)} gz)`);
    }
    const tail = tailWarning(s);
    if (tail) notes.push(`worse tail: ${tail}`);
    notes.push(`n=${s.rounds} (${stoppedByText(s).replace(/^\d+ rounds?; /, '')})`);
    return {
      scenario: `${s.id}${s.protocol === 'json' ? '' : ` [${s.protocol}]`}`,
      unit: s.unit,
      arms,
      ratios: s.comparisons.map((c) => ratioText(s, c)).join('; ') || '–',
      claim: s.claims.map((c) => claimCell(s, c)).join('; ') || '–',
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

/** Where the run was measured, first line of the CLI tables: "Chromium 156 (CDP) · 2 cores · …". */
export function engineLine(r: LabResultsV1): string {
  const e = r.environment;
  return `${engineLabel(e)} · ${e.cores} cores · crossOriginIsolated=${e.crossOriginIsolated} · timer ${fmt(e.timerGranularityUs)} µs`;
}

/** "## Ably SDK Lab — Firefox 153.8 (BiDi) — quick run": the Markdown outputs' first line. */
function markdownTitle(r: LabResultsV1): string {
  return `## Ably SDK Lab — ${esc(engineLabel(r.environment))}${r.config.aa ? ' (A/A noise floor)' : ''}${r.config.quick ? ' — quick run' : ''}`;
}

/** The full grid (`npm run lab -- --verbose`, latest.details.md): every arm, pair, claim and note. */
export function resultsTable(r: LabResultsV1): string {
  const ids = r.arms.map((a) => a.id);
  const header = [
    'scenario',
    'unit',
    ...ids.map((id) => `${id} median [95% CI]`),
    'change [CI] → verdict',
    'claim',
    'lost/dup/reord',
    'notes',
  ];
  const table = textTable(
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
  return `${engineLine(r)}\n${table}`;
}

/** Width the default terminal output keeps to (a 100-column terminal shows every line unbroken). */
export const TERMINAL_COLUMNS = 100;

/** The pair most scenarios headline (rust vs js in a normal run). */
function mainPair(r: LabResultsV1): [candidate: string, reference: string] | null {
  const counts = new Map<string, number>();
  for (const s of r.scenarios) {
    const c = headlineComparison(s);
    if (c)
      counts.set(`${c.candidate}\u0000${c.reference}`, (counts.get(`${c.candidate}\u0000${c.reference}`) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  return best ? (best[0].split('\u0000') as [string, string]) : null;
}

export interface CompactRow {
  scenario: ScenarioV1;
  cells: string[];
  /** Lines under the table: a failure's reason, a worse tail. */
  notes: string[];
}

/** One line for every server-bound scenario (the server, not the SDK, may limit them). */
function serverBoundLine(scenarios: ScenarioV1[]): string | null {
  const bound = [...new Set(scenarios.filter((s) => s.server.bound).map((s) => s.id))];
  return bound.length
    ? `server-bound (the local server used > 70% of a core; it may be the limit): ${bound.join(', ')}`
    : null;
}

/**
 * The answer at a glance, one row per scenario: scenario, the two headline arms' medians, the
 * change with its interval, the verdict and the claim status. Tails worse than the median verdict
 * mark the verdict with `*` and say why in a note.
 */
export function compactRows(r: LabResultsV1): { header: string[]; rows: CompactRow[] } {
  const pair = mainPair(r);
  const [cand, ref] = pair ?? [r.arms[0]?.id ?? '–', r.arms[1]?.id ?? '–'];
  const header = ['scenario', cand, ref, `${cand} vs ${ref} [CI]`, 'verdict', 'claim'];
  const rows = r.scenarios.map((s) => {
    const median = (arm: string) => {
      const a = s.arms.find((x) => x.arm === arm);
      return a?.n ? `${value(s, a.median)}${s.unit === 'bytes' ? '' : ` ${s.unit}`}` : '–';
    };
    const c = s.comparisons.find((x) => x.candidate === cand && x.reference === ref);
    const h = scenarioHeadline(s);
    const tail = tailWarning(s, true);
    const notes: string[] = [];
    if (s.status !== 'ok') notes.push(`${s.status.toUpperCase()}: ${s.reason ?? 'no reason recorded'}`);
    if (tail) notes.push(`* worse tail than the median verdict: ${tail}`);
    const claim = s.claims.find((x) => x.candidate === cand && x.reference === ref) ?? s.claims[0];
    return {
      scenario: s,
      cells: [
        s.id,
        median(cand),
        median(ref),
        s.status !== 'ok' ? '–' : c ? comparisonChange(s, c, true) : '–',
        s.status !== 'ok' ? h.word : c ? `${verdictWord(c.verdict, isMemory(s), true)}${tail ? '*' : ''}` : '–',
        claim ? claim.status : '–',
      ],
      notes,
    };
  });
  return { header, rows };
}

/** Wraps text at spaces into lines of at most `width` columns; continuation lines get `indent`. */
export function wrap(text: string, width = TERMINAL_COLUMNS, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (next.length > width && line.trim()) {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines.map((l) => clip(l, width));
}

/** Cuts a line to `width` columns with an ellipsis. */
export function clip(line: string, width = TERMINAL_COLUMNS): string {
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}

/** The claims' targets, once, under the tables (the claim column holds only the status). */
function claimLegend(r: LabResultsV1): string | null {
  const kinds = new Map(r.scenarios.flatMap((s) => s.claims).map((c) => [c.kind, c]));
  if (!kinds.size) return null;
  const parts = [...kinds.values()].map((c) =>
    c.kind === 'speed'
      ? `speed = rust ≥${Math.round((1 - c.threshold) * 100)}% faster than js`
      : `memory = rust ≥${Math.round((1 - c.threshold) * 100)}% less memory than js`,
  );
  return `claims: ${parts.join(', ')}; judged on the whole CI of the change beside it`;
}

/**
 * The default terminal output: the compact table (≤ 100 columns, one section per protocol when
 * several ran), the notes it refers to, and the run's summary line. `--verbose` prints
 * resultsTable (the full grid) instead.
 */
export function compactTable(r: LabResultsV1, width = TERMINAL_COLUMNS): string {
  const { header, rows } = compactRows(r);
  const protocols = [...new Set(r.scenarios.map((s) => s.protocol))];
  const out: string[] = [clip(engineLine(r), width)];
  for (const p of protocols) {
    const mine = rows.filter((x) => x.scenario.protocol === p);
    if (protocols.length > 1) out.push(`${p}:`);
    out.push(
      ...fitTable(
        header,
        mine.map((x) => x.cells),
        width,
      ).map((l) => clip(l, width)),
    );
    const notes = mine.flatMap((x) => x.notes.map((n) => clip(`  ${x.scenario.id}: ${n}`, width)));
    const bound = serverBoundLine(mine.map((x) => x.scenario));
    if (bound) notes.push(...wrap(bound, width - 2, '  ').map((l) => `  ${l}`));
    if (notes.length) out.push(...notes);
    out.push('');
  }
  const legend = claimLegend(r);
  if (legend) out.push(...wrap(legend, width, '  '));
  out.push(...wrap(runSummary(r), width, '  '));
  return out.join('\n');
}

/** textTable, with the widest text column cut (ellipsis) until the table fits `width`. */
function fitTable(header: string[], rows: string[][], width: number): string[] {
  let cells = rows;
  const widths = () => header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  for (let guard = 0; guard < 200; guard++) {
    const w = widths();
    const total = w.reduce((a, b) => a + b, 0) + 2 * (w.length - 1);
    if (total <= width) break;
    const widest = w.indexOf(Math.max(...w));
    const cut = w[widest]! - (total - width);
    const target = Math.max(header[widest]!.length, cut, 6);
    cells = cells.map((r) => r.map((c, i) => (i === widest && c.length > target ? `${c.slice(0, target - 1)}…` : c)));
    if (target >= w[widest]!) break;
  }
  return textTable(header, cells).split('\n');
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
      (s) =>
        `- ${esc(s.id)} [${s.protocol}] after ${s.rounds} rounds: ${esc(clip(s.reason ?? 'no reason recorded', 300))}`,
    ),
  ];
}

/** How memory and CPU were read, in words (the schema's `memoryMethod`/`cpuMethod` codes). */
export function methodText(e: LabResultsV1['environment']): string {
  const memory = {
    cdp: "memory = worker JS heap after forced GC (CDP) + the Rust SDK's wasm heap",
    mUASM: "memory = measureUserAgentSpecificMemory per worker + the Rust SDK's wasm heap (page run)",
    none: 'memory not measured',
  }[e.memoryMethod];
  const cpu = { proc: 'CPU = worker thread time from /proc', none: 'CPU not measured' }[e.cpuMethod];
  return `${memory}; ${cpu}`;
}

/** A link a reader of a CI summary can open: not the CLI's temporary local server. */
export function isOpenableLink(url: string | undefined): url is string {
  if (!url) return false;
  try {
    const h = new URL(url).hostname;
    return !(h === 'localhost' || h === '127.0.0.1' || h === '[::1]' || h.endsWith('.localhost'));
  } catch {
    return false;
  }
}

/** The Markdown summary's size budget (a GitHub job summary that reads at a glance). */
export const SUMMARY_MAX_BYTES = 8 * 1024;

/**
 * The Markdown summary (latest.md, for a CI job summary): the run's one-line answer, the compact
 * table, the notes it refers to, and where the full detail is. The permalink is added only when
 * it opens somewhere other than the CLI's own temporary server. The text stays within
 * SUMMARY_MAX_BYTES; the link's URL (12–17 KB for a whole quick run) comes on top of it, but it is
 * one line that renders as "Open these results", so the summary still reads at a glance.
 */
export function markdownSummary(r: LabResultsV1, permalink?: string, detailsName = 'latest.details.md'): string {
  const e = r.environment;
  const { header, rows } = compactRows(r);
  const out = [
    markdownTitle(r),
    '',
    `**${esc(runSummary(r))}**`,
    ...failedLines(r),
    '',
    `| ${header.map(esc).join(' | ')} |`,
    '|---|---:|---:|---|---|---|',
    ...rows.map(
      (x) =>
        `| ${esc(x.scenario.id)}${x.scenario.protocol === 'json' ? '' : ` [${x.scenario.protocol}]`} | ${x.cells
          .slice(1)
          .map(esc)
          .join(' | ')} |`,
    ),
    '',
    ...rows.flatMap((x) =>
      // Failures are listed above the table already.
      x.notes
        .filter((n) => !n.startsWith('FAILED'))
        .map(
          (n) =>
            `- ${esc(x.scenario.id)}${x.scenario.protocol === 'json' ? '' : ` [${x.scenario.protocol}]`}: ${esc(clip(n, 200))}`,
        ),
    ),
  ];
  const bound = serverBoundLine(r.scenarios);
  if (bound) out.push(`- ${esc(bound)}`);
  const legend = claimLegend(r);
  if (legend) out.push('', `${legend}.`);
  out.push(
    '',
    `${esc(engineLabel(e))}, ${e.cores} cores; commit ${e.gitCommit?.slice(0, 10) ?? '?'}${e.gitDirty ? ' (dirty)' : ''}; ${r.durationS} s. ` +
      `Changes are time-like (X% faster = X% less time per operation), with ${levels(r)} repeated CIs (docs/method.md). ` +
      `Every pair (rust/raw, js/raw), medians with CIs, tails, integrity and CPU: \`${detailsName}\` and the results JSON in the run's files.`,
  );
  if (isOpenableLink(permalink)) out.push('', `[Open these results in the lab page](${permalink})`);
  return `${out.join('\n')}\n`;
}

/** The full Markdown report (latest.details.md in the artifact): every arm, pair, claim and note. */
export function markdownDetails(r: LabResultsV1, permalink?: string): string {
  const ids = r.arms.map((a) => a.id);
  const e = r.environment;
  const out = [
    markdownTitle(r),
    '',
    `${esc(engineLabel(e))}, ${e.cores} cores, crossOriginIsolated=${e.crossOriginIsolated}, timer ${fmt(e.timerGranularityUs)} µs; ` +
      `commit ${e.gitCommit?.slice(0, 10) ?? '?'}${e.gitDirty ? ' (dirty)' : ''}; ` +
      `${r.arms.map((a) => `${a.id}: ${a.workers[0]?.sdkVersion ?? '?'}`).join(', ')}; ` +
      `endpoint ${r.config.endpoint.kind}${r.config.crossOrigin ? ' (cross-origin variant: REST pays CORS preflights)' : ''}; ` +
      `${r.durationS} s; ${methodText(e)}.`,
    ...e.notes.map((n) => `> ${n}`),
    ...failedLines(r),
    '',
    `| scenario | unit | ${ids.map((id) => `${id} median [95% CI]`).join(' | ')} | ratio [CI] verdict | claim | lost/dup/reord | notes |`,
    `|---|---|${ids.map(() => '---|').join('')}---|---|---|---|`,
    ...tableRows(r).map(
      (t) =>
        `| ${esc(t.scenario)} | ${t.unit} | ${ids.map((id) => esc(t.arms[id] ?? '–')).join(' | ')} | ` +
        `${esc(t.ratios)} | ${esc(t.claim)} | ${t.integrity} | ${esc(t.notes)} |`,
    ),
    '',
    "Ratios are candidate/reference of each scenario's primary value, geometric mean of paired per-round ratios with a t-interval on log-ratios. " +
      `Auto-sampling looks after every round, so each ratio CI is a repeated confidence interval: its nominal level (${levels(r)}) ` +
      `keeps the overall level at ${r.config.confidence * 100}% over all looks. ` +
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

/**
 * The Markdown summary of a merged file (`npm run lab:merge --summary`, CI's engine matrix): which
 * run is which engine, rust/js per scenario in each run side by side, and one link to every run
 * (or why there is none: too large for a link that opens).
 */
export function mergedMarkdown(
  m: LabMergedV1,
  link?: { ok: true; url: string } | { ok: false; error: string },
): string {
  const { labels, rows } = engineComparisonRows(m.runs);
  const out = [
    `## Ably SDK Lab — ${m.runs.length} run${m.runs.length === 1 ? '' : 's'}: ${m.runs.map((r) => esc(engineLabel(r.environment))).join(', ')}`,
    '',
    ...m.runs.map(
      (r, i) =>
        `- ${esc(labels[i]!)}: ${esc(engineLabel(r.environment))}, ${r.environment.cores} cores, ` +
        `crossOriginIsolated=${r.environment.crossOriginIsolated}, timer ${fmt(r.environment.timerGranularityUs)} µs; ` +
        `commit ${r.environment.gitCommit?.slice(0, 10) ?? '?'}; ${esc(runSummary(r))}`,
    ),
    '',
    `| scenario | better | ${labels.map((l) => `rust/js in ${esc(l)}`).join(' | ')} |`,
    `|---|---|${labels.map(() => '---|').join('')}`,
    ...rows.map((r) => `| ${esc(r.key)} | ${r.better} | ${r.cells.map(esc).join(' | ')} |`),
    '',
    'rust/js: ratio of the primary value [CI] and verdict. Each run is paired within itself, so compare these ratios ' +
      'across engines, never the absolute figures.',
  ];
  if (link?.ok && isOpenableLink(link.url)) out.push('', `[Open both runs in the lab page](${link.url})`);
  else if (link && !link.ok) out.push('', `No link: ${esc(link.error)}; open the merged file in the lab page.`);
  return `${out.join('\n')}\n`;
}
