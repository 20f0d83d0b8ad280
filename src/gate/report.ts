/**
 * Views of a gate result (pure): the text table for the terminal, the Markdown summary for
 * `$GITHUB_STEP_SUMMARY` / a PR comment, and github-action-benchmark input files.
 */
import { fmt } from '../lab/summary';
import type { BenchmarkEntry } from '../lab/summary';
import { textTable } from '../lab/summary';
import { detectable, type GateResult, type GateRow, pct } from './compare';
import { type Metric, natural } from './metrics';

const STATUS_TEXT: Record<GateRow['status'], string> = {
  regressed: 'REGRESSED',
  improved: 'improved',
  ok: 'ok',
  unsure: 'unsure',
  'no-ci': 'no CI',
  missing: 'missing',
  new: 'new',
};

function statusText(r: GateRow): string {
  const t = STATUS_TEXT[r.status];
  if (r.confirmation && !r.confirmation.reproduced)
    return `${t} (not reproduced: re-run ${r.confirmation.change === null ? '–' : pct(r.confirmation.change)})`;
  if (r.confirmation) return `${t} (reproduced)`;
  if (r.status === 'unsure' && r.change !== null) return `${t} (${r.change > 1 ? 'maybe worse' : 'maybe better'})`;
  if (r.status === 'missing') return r.fails ? 'MISSING' : t;
  return t;
}

/** A metric's value in its natural direction and unit; ratios are shown time-like (<1 = candidate faster). */
function valueText(m: Metric | null): string {
  if (!m) return '–';
  if (m.kind === 'ratio') return `${fmt(m.value)} [${fmt(m.ci[0])}–${fmt(m.ci[1])}]`;
  const v = natural(m, m.value);
  const lo = m.ci[0] === null ? null : natural(m, m.better === 'lower' ? m.ci[0] : m.ci[1]!);
  const hi = m.ci[1] === null ? null : natural(m, m.better === 'lower' ? m.ci[1] : m.ci[0]!);
  const u = m.unit === 'bytes' ? ' B' : ` ${m.unit}`;
  return `${fmt(v)}${u} [${fmt(lo)}–${fmt(hi)}]`;
}

function changeText(r: GateRow): string {
  if (r.change === null) return '–';
  const p = pct(r.change);
  return p === '0.0%' ? p : `${p} ${r.change > 1 ? 'worse' : 'better'}`;
}

function ciText(r: GateRow): string {
  return r.changeCi ? `${pct(r.changeCi[0])} … ${pct(r.changeCi[1])}` : '–';
}

function rowCells(r: GateRow): string[] {
  const d = detectable(r);
  return [
    r.id,
    r.kind === 'ratio' ? 'ratio' : `abs ${r.unit}`,
    valueText(r.baseline),
    valueText(r.now),
    changeText(r),
    ciText(r),
    `+${Math.round((r.threshold - 1) * 100)}%`,
    d === null ? '–' : pct(d),
    statusText(r),
  ];
}

const HEADER = [
  'metric',
  'kind',
  'baseline [95% CI]',
  'now [95% CI]',
  'change',
  '95% CI of change',
  'limit',
  'catches ≥',
  'status',
];

/** One line per reason: which same-run ratios are reported by the lab but not gated, and why. */
function notGatedLines(g: GateResult): string[] {
  const byWhy = new Map<string, string[]>();
  for (const n of g.notGated) byWhy.set(n.why, [...(byWhy.get(n.why) ?? []), n.id]);
  return [...byWhy].map(([why, ids]) => `not gated: ${ids.join(', ')} — ${why}`);
}

function headline(g: GateResult): string {
  const c = g.counts;
  const parts = [`${c.regressed} regressed`, `${c.improved} improved`, `${c.unsure} unsure`, `${c.ok} ok`];
  if (c.missing) parts.push(`${c.missing} missing`);
  if (c.new) parts.push(`${c.new} new`);
  if (c['no-ci']) parts.push(`${c['no-ci']} without CI`);
  if (g.failedScenarios.length) parts.push(`${g.failedScenarios.length} failed scenario(s)`);
  return `${g.passed ? 'PASSED' : 'FAILED'}: ${g.rows.length} metrics — ${parts.join(', ')}`;
}

const RULE = (g: GateResult) =>
  `A metric regresses only when the whole 95% CI of its change (now/baseline; both runs' CIs combined) lies above the limit: ` +
  `+${Math.round((g.options.threshold - 1) * 100)}% for same-run ratios (rust/js, rust/raw, js/raw), ` +
  `+${Math.round((g.options.absThreshold - 1) * 100)}% for absolute figures. ` +
  `Changes are time-like (+ = slower / more memory / lower rate); ratios are shown time-like (below 1 = candidate faster). ` +
  `"catches ≥": the smallest regression these CIs could have proven (more rounds → narrower CIs → smaller).`;

export function textReport(g: GateResult): string {
  const out = [`Regression gate ${headline(g)}`, ''];
  const ratios = g.rows.filter((r) => r.kind === 'ratio');
  const abs = g.rows.filter((r) => r.kind === 'absolute');
  out.push(textTable(HEADER, [...ratios, ...abs].map(rowCells)), '');
  for (const s of g.failedScenarios) out.push(`FAILED scenario ${s.id} [${s.protocol}]: ${s.reason}`);
  for (const s of g.skippedScenarios) out.push(`skipped scenario ${s.id} [${s.protocol}]: ${s.reason}`);
  for (const w of g.warnings) out.push(`warning: ${w}`);
  out.push(...notGatedLines(g));
  if (g.counts.improved)
    out.push(
      `${g.counts.improved} metric(s) improved beyond the limit: refresh the baseline (npm run bench:baseline) to lock the gain in.`,
    );
  out.push(RULE(g));
  if (g.failures.length) out.push('', 'Gate FAILED because:', ...g.failures.map((f) => `  - ${f}`));
  else out.push('', 'Gate passed.');
  return `${out.join('\n')}\n`;
}

const esc = (s: string) => s.replace(/\|/g, '\\|');
const mdRow = (cells: string[]) => `| ${cells.map(esc).join(' | ')} |`;
const mdTable = (rows: GateRow[]) => [
  mdRow(HEADER),
  `|${HEADER.map(() => '---').join('|')}|`,
  ...rows.map((r) => mdRow(rowCells(r))),
];

export function markdownReport(
  g: GateResult,
  context: { baselineCreatedAt?: string; baselineCommit?: string | null; runCommit?: string | null } = {},
): string {
  const icon = g.passed ? '✅' : '❌';
  const out = [`## ${icon} Benchmark regression gate: ${headline(g)}`, ''];
  if (context.baselineCreatedAt || context.baselineCommit || context.runCommit) {
    out.push(
      `Baseline: ${context.baselineCommit?.slice(0, 10) ?? '?'} (${context.baselineCreatedAt ?? '?'}); this run: ${context.runCommit?.slice(0, 10) ?? '?'}.`,
      '',
    );
  }
  if (g.failures.length) out.push('**Failed because:**', '', ...g.failures.map((f) => `- ${esc(f)}`), '');
  const ratios = g.rows.filter((r) => r.kind === 'ratio');
  const abs = g.rows.filter((r) => r.kind === 'absolute');
  out.push('### Same-run ratios (gated)', '', ...mdTable(ratios), '');
  out.push(
    `<details><summary>Absolute figures (${abs.length}; gated only at +${Math.round((g.options.absThreshold - 1) * 100)}%)</summary>`,
    '',
    ...mdTable(abs),
    '',
    '</details>',
    '',
  );
  for (const s of g.failedScenarios) out.push(`- ❌ scenario \`${s.id}\` [${s.protocol}] failed: ${esc(s.reason)}`);
  for (const s of g.skippedScenarios) out.push(`- scenario \`${s.id}\` [${s.protocol}] skipped: ${esc(s.reason)}`);
  for (const w of g.warnings) out.push(`- ⚠️ ${esc(w)}`);
  for (const n of notGatedLines(g)) out.push(`- ${esc(n)}`);
  if (g.counts.improved)
    out.push(
      `- ${g.counts.improved} metric(s) improved beyond the limit: refresh the baseline (\`npm run bench:baseline\`) to lock the gain in.`,
    );
  out.push('', RULE(g));
  return `${out.join('\n')}\n`;
}

/**
 * github-action-benchmark inputs for the gated ratio metrics. The value is the change vs the
 * baseline "confirmed" by the CI: the CI bound nearest to 1, or exactly 1 when the CI contains 1.
 * Noise therefore leaves the series flat at 1 and cannot trip the action's 110% alert; a
 * regression shows up once its whole CI is above 1, and alerts when it is above 1.10 — the same
 * decision as the gate. Higher-is-better scenarios (rates) go into the "bigger" file in their
 * natural direction. Absolute figures are not here: the lab's own results/*.benchmark-*.json
 * carry them for a dashboard that does not fail on alerts.
 */
export function benchmarkFiles(g: GateResult): { smaller: BenchmarkEntry[]; bigger: BenchmarkEntry[] } {
  const smaller: BenchmarkEntry[] = [];
  const bigger: BenchmarkEntry[] = [];
  for (const r of g.rows) {
    if (r.kind !== 'ratio' || !r.now || !r.baseline || r.change === null || !r.changeCi) continue;
    const [lo, hi] = r.changeCi;
    // With a confirmation re-run, only what both runs support: the value nearest to 1.
    const confirmed = [r.changeCi, r.confirmation?.changeCi]
      .filter((c): c is [number, number] => Boolean(c))
      .map(([l, h]) => (l > 1 ? l : Math.min(h, 1)))
      .reduce((a, b) => (Math.abs(Math.log(a)) <= Math.abs(Math.log(b)) ? a : b));
    const extra =
      `estimate ${pct(r.change)} (CI ${pct(lo)}…${pct(hi)}); ` +
      `time ratio now ${valueText(r.now)}, baseline ${valueText(r.baseline)}; n=${r.now.n}; gate: ${r.status}`;
    const range = `${fmt(lo)}–${fmt(hi)}`;
    if (r.now.better === 'lower')
      smaller.push({ name: `${r.id} vs baseline`, unit: 'x baseline time', value: round4(confirmed), range, extra });
    else
      bigger.push({
        name: `${r.id} vs baseline`,
        unit: 'x baseline rate',
        value: round4(1 / confirmed),
        range: `${fmt(1 / hi)}–${fmt(1 / lo)}`,
        extra,
      });
  }
  return { smaller, bigger };
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
