/**
 * Renders a LabResultsV1 (from a run, an imported file or a permalink): summary line, results
 * table with verdict badges / integrity / server-bound flags, the claims panel and the charts.
 * Text only (no innerHTML): every string may come from a hostile link.
 */
import { MEMORY_CLAIM_RATIO } from '../../lab/defaults';
import { engineKey, engineLabel } from '../../lab/engine';
import { engineComparisonRows, type LabMergedV1, runLabels } from '../../lab/merged';
import type { ArmResultV1, ComparisonV1, LabResultsV1, ScenarioV1 } from '../../lab/results';
import {
  claimCell,
  claimNa,
  comparisonChange,
  headlineComparison,
  isMemory,
  type Outcome,
  runSummary,
  scenarioHeadline,
  stoppedByText,
  tailWarning,
  timeLikeOf,
  verdictWord,
} from '../../lab/headline';
import { cpuRatioText, fmt, fmtCi, methodText } from '../../lab/summary';
import { armColor, barChart, chartBox, RATIO_THRESHOLDS } from '../charts';
import { fill, h } from '../dom';

const key = (s: ScenarioV1) => `${s.id}${s.protocol === 'json' ? '' : ` [${s.protocol}]`}`;

function bytes(x: number | null): string {
  if (x === null) return '–';
  const a = Math.abs(x);
  if (a >= 1024 * 1024) return `${(x / 1024 / 1024).toPrecision(3)} MiB`;
  if (a >= 1024) return `${(x / 1024).toPrecision(3)} KiB`;
  return `${Math.round(x)} B`;
}

const value = (s: ScenarioV1, x: number | null) => (s.unit === 'bytes' ? bytes(x) : fmt(x));

export function badge(kind: string, text: string, title?: string): HTMLSpanElement {
  return h('span', { class: `badge badge-${kind}`, ...(title ? { title } : {}) }, text);
}

function armCell(s: ScenarioV1, a: ArmResultV1 | undefined): HTMLTableCellElement {
  if (!a?.n) return h('td', {}, '–');
  return h(
    'td',
    { 'data-arm': a.arm, class: 'num' },
    h('span', { class: 'median', 'data-value': a.median ?? '' }, value(s, a.median)),
    ' ',
    h(
      'span',
      { class: 'ci' },
      s.unit === 'bytes' ? `[${bytes(a.medianCi[0])}–${bytes(a.medianCi[1])}]` : fmtCi(a.medianCi),
    ),
    a.latency ? h('div', { class: 'sub' }, `p95 ${fmt(a.latency.p95)} · p99 ${fmt(a.latency.p99)} ms`) : null,
  );
}

function integrityCell(s: ScenarioV1): HTMLTableCellElement {
  const withI = s.arms.filter((a) => a.integrity);
  if (!withI.length) return h('td', { class: 'integrity' }, '–');
  return h(
    'td',
    { class: 'integrity' },
    ...withI.map((a) => {
      const i = a.integrity!;
      return h(
        'div',
        {},
        badge(i.ok ? 'ok' : 'bad', i.ok ? 'intact' : 'VIOLATED'),
        ` ${a.arm}: ${i.lost} lost / ${i.duplicated} dup / ${i.reordered} reord of ${i.expected}`,
      );
    }),
  );
}

/** The verdict badge's colour class: memory words map onto faster/slower. */
const verdictClass = (o: Outcome) => o;

export function resultsTable(r: LabResultsV1): HTMLTableElement {
  const ids = r.arms.map((a) => a.id);
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, 'Scenario'),
    ...ids.map((id) => h('th', { scope: 'col' }, `${id} median [95% CI]`)),
    h('th', { scope: 'col' }, 'Change [CI]'),
    h('th', { scope: 'col' }, 'Verdict'),
    h('th', { scope: 'col' }, 'Claim'),
    h('th', { scope: 'col' }, 'Other pairs'),
    h('th', { scope: 'col' }, 'Integrity · flags'),
  );
  const rows = r.scenarios.map((s) => {
    const memory = isMemory(s);
    const main = headlineComparison(s);
    const hl = scenarioHeadline(s);
    const tail = tailWarning(s);
    const flags: (HTMLElement | string)[] = [];
    if (s.status !== 'ok') flags.push(badge(s.status, s.status), ` ${s.reason ?? ''}`);
    if (s.server.bound)
      flags.push(
        badge(
          'bound',
          'server-bound',
          `server used ${fmt((s.server.cpuFraction ?? 0) * 100)}% of a core: the server, not the SDK, may limit this`,
        ),
      );
    flags.push(h('div', { class: 'sub', 'data-stopped-by': s.stoppedBy }, stoppedByText(s)));
    const claim = s.claims[0];
    return h(
      'tr',
      { 'data-scenario': s.id, 'data-protocol': s.protocol, 'data-status': s.status },
      h('th', { scope: 'row' }, h('div', {}, key(s)), h('div', { class: 'sub title' }, s.title)),
      ...ids.map((id) =>
        armCell(
          s,
          s.arms.find((a) => a.arm === id),
        ),
      ),
      h(
        'td',
        { class: 'change', ...(main ? { 'data-pair': `${main.candidate}/${main.reference}` } : {}) },
        s.status === 'ok' && main ? hl.text : '–',
      ),
      h(
        'td',
        { class: 'verdict' },
        s.status === 'ok' && main
          ? badge(verdictClass(main.verdict), hl.word, `${main.candidate} vs ${main.reference}, n=${main.n}`)
          : badge(s.status === 'ok' ? 'unsure' : s.status, hl.word),
        tail
          ? h(
              'div',
              { class: 'tail' },
              badge('slower', 'worse tail', 'p95/p99 worse than the median verdict says'),
              ` ${tail}`,
            )
          : null,
      ),
      h(
        'td',
        { class: 'claim', ...(claim ? { 'data-status': claim.status } : {}) },
        claim ? badge(`claim-${claim.status.replace('/', '')}`, claimCell(s, claim)) : '–',
      ),
      h(
        'td',
        { class: 'pairs sub' },
        ...s.comparisons
          .filter((c) => c !== main)
          .map((c) =>
            h(
              'div',
              { 'data-pair': `${c.candidate}/${c.reference}` },
              `${c.candidate} vs ${c.reference}: ${comparisonChange(s, c)} `,
              badge(c.verdict, verdictWord(c.verdict, memory)),
            ),
          ),
        ...s.comparisons
          .filter((c) => c.cpu)
          .map((c) =>
            h(
              'div',
              { class: 'cpu', 'data-pair': `${c.candidate}/${c.reference}` },
              `${c.candidate} vs ${c.reference}: ${cpuRatioText(c.cpu!)}`,
            ),
          ),
      ),
      h('td', { class: 'flags' }, integrityCell(s), ...flags),
    );
  });
  return h(
    'table',
    { id: 'results-table', class: 'results' },
    h(
      'caption',
      {},
      "Per scenario: each arm's median with its 95% CI; " +
        'the change of the headline pair (rust vs js) as time-like percent with its CI, its verdict and the claim; ' +
        'the other pairs as details.',
    ),
    h('thead', {}, head),
    h('tbody', {}, ...rows),
  );
}

export function claimsPanel(r: LabResultsV1): HTMLElement {
  const items = r.scenarios.flatMap((s) =>
    s.claims.map((c) => {
      // The number beside a claim is the change of the same pair in the table, never another one.
      const pair = s.comparisons.find((x) => x.candidate === c.candidate && x.reference === c.reference);
      const change = s.status === 'ok' && pair ? `${c.candidate} ${comparisonChange(s, pair)}` : claimNa(s);
      return h(
        'li',
        { 'data-scenario': s.id, 'data-claim': c.kind, 'data-status': c.status },
        badge(`claim-${c.status.replace('/', '')}`, c.status),
        ` ${key(s)}: “${c.text}” — ${change}`,
      );
    }),
  );
  return h(
    'section',
    { id: 'claims', class: 'claims', 'aria-label': 'Claims' },
    h('h3', {}, 'Claims'),
    items.length ? h('ul', {}, ...items) : h('p', {}, 'No claims were evaluated (no rust arm in this run).'),
  );
}

/** The run's answer in one line, above everything else. */
function headline(r: LabResultsV1): HTMLElement {
  return h('p', { id: 'results-headline', class: 'headline' }, runSummary(r));
}

function summaryLine(r: LabResultsV1): HTMLElement {
  const e = r.environment;
  const ep = r.config.endpoint;
  return h(
    'dl',
    { class: 'summary', id: 'results-summary' },
    h('dt', {}, 'Run'),
    h(
      'dd',
      {},
      `${r.createdAt} · ${fmt(r.durationS)} s · ${r.config.quick ? 'quick' : 'full'} · budget ${r.config.budgetS} s` +
        `${r.config.untilBudget ? ' (sampled to the end)' : ''}${r.config.aa ? ' · A/A' : ''}`,
    ),
    h('dt', {}, 'Browser'),
    h(
      'dd',
      { class: 'engine', 'data-engine': engineKey(e) },
      `${engineLabel(e)} · ${e.cores} cores · ` +
        `crossOriginIsolated=${e.crossOriginIsolated} · timer ${fmt(e.timerGranularityUs)} µs`,
    ),
    h('dt', {}, 'Endpoint'),
    h(
      'dd',
      {},
      `${ep.kind} ${ep.host}:${ep.port}${ep.tls ? ' (TLS)' : ''} · protocols ${r.config.protocols.join(', ')}`,
    ),
    h('dt', {}, 'SDKs'),
    h('dd', {}, r.arms.map((a) => `${a.id}: ${a.workers[0]?.sdkVersion ?? '?'}`).join(' · ')),
    h('dt', {}, 'Memory / CPU'),
    h(
      'dd',
      {},
      `${methodText(e)}${e.gitCommit ? ` · commit ${e.gitCommit.slice(0, 10)}${e.gitDirty ? ' (dirty)' : ''}` : ''}`,
    ),
    ...e.notes.flatMap((n) => [h('dt', {}, 'Note'), h('dd', {}, n)]),
  );
}

export interface MemorySplit {
  /** The arm's median total (the table's value); the three parts add up to it. */
  total: number;
  jsHeap: number;
  backing: number;
  wasmLive: number;
}

/**
 * One memory bar: the arm's median total (what the table shows), split in proportion to the
 * medians of its parts. The medians of the parts need not add up to the median of the totals,
 * so the parts are scaled to it; a bar drawn from the raw parts would disagree with the table
 * (and without `wasmLive` would hide the Rust SDK's channel state in wasm). Files from before
 * `wasmLive` existed: the wasm part is what the total holds beyond the JS heap and buffers.
 */
export function memorySplit(a: ArmResultV1): MemorySplit {
  const m = a.memory!;
  const total = a.median ?? m.total;
  const wasm = m.wasmLive ?? Math.max(0, m.total - m.jsHeapUsed - m.backing);
  const raw = [m.jsHeapUsed, m.backing, wasm].map((x) => Math.max(0, x));
  const sum = raw[0]! + raw[1]! + raw[2]!;
  if (!(sum > 0)) return { total, jsHeap: total, backing: 0, wasmLive: 0 };
  const [jsHeap, backing, wasmLive] = raw.map((x) => (x / sum) * total) as [number, number, number];
  return { total, jsHeap, backing, wasmLive };
}

/** The charts after a run: medians + CI whiskers + sample dots, latency percentiles, memory, ratios. */
export function resultCharts(r: LabResultsV1): HTMLElement {
  const ok = r.scenarios.filter((s) => s.status === 'ok' && s.arms.some((a) => a.n));
  const medians = ok.map((s) => {
    const arms = s.arms.filter((a) => a.n);
    const chart = barChart(
      'median',
      `${key(s)} — median (${s.unit})`,
      arms.map((a) => a.arm),
      [{ label: 'median', data: arms.map((a) => a.median), backgroundColor: arms.map((a, i) => armColor(a.arm, i)) }],
      {
        yTitle: s.unit,
        whiskers: { ci: [arms.map((a) => a.medianCi)], dots: [arms.map((a) => a.samples.slice(0, 60))] },
      },
    );
    chart.canvas.dataset.totals = JSON.stringify(arms.map((a) => [`${key(s)} · ${a.arm}`, a.median]));
    return chartBox(chart, 'chart small');
  });
  const out = h(
    'section',
    { id: 'charts', 'aria-label': 'Charts' },
    h('h3', {}, 'Medians with 95% CI (dots: per-round samples)'),
    h('div', { class: 'chart-grid' }, ...medians),
  );

  const lat = ok.filter((s) => s.arms.some((a) => a.latency));
  if (lat.length) {
    const armIds = r.arms.map((a) => a.id);
    const alpha = { p50: 'ff', p95: 'aa', p99: '66' } as const;
    const sets = armIds.flatMap((id, i) =>
      (['p50', 'p95', 'p99'] as const).map((p) => ({
        label: `${id} ${p}`,
        data: lat.map((s) => s.arms.find((a) => a.arm === id)?.latency?.[p] ?? null),
        backgroundColor: armColor(id, i) + alpha[p],
      })),
    );
    out.append(
      h('h3', {}, 'Latency percentiles (ms)'),
      chartBox(barChart('latency', 'Latency p50 / p95 / p99 (ms)', lat.map(key), sets, { yTitle: 'ms' })),
    );
  }

  const mem = ok.filter((s) => s.arms.some((a) => a.memory));
  if (mem.length) {
    const labels: string[] = [];
    const parts: MemorySplit[] = [];
    for (const s of mem)
      for (const a of s.arms)
        if (a.memory) {
          labels.push(`${key(s)} · ${a.arm}`);
          parts.push(memorySplit(a));
        }
    const chart = barChart(
      'memory',
      'Memory over baseline: bar = the median in the table, split in proportion to its parts',
      labels,
      [
        { label: 'JS heap', data: parts.map((p) => p.jsHeap), backgroundColor: '#1d4ed8' },
        { label: 'ArrayBuffers / external', data: parts.map((p) => p.backing), backgroundColor: '#93c5fd' },
        { label: 'wasm live heap (Rust SDK)', data: parts.map((p) => p.wasmLive), backgroundColor: '#c2410c' },
      ],
      { stacked: true, yTitle: 'bytes' },
    );
    // What each bar adds up to, for tests and readers of the DOM: exactly the table's medians.
    chart.canvas.dataset.totals = JSON.stringify(labels.map((l, i) => [l, parts[i]!.total]));
    chart.canvas.dataset.split = JSON.stringify(parts);
    out.append(h('h3', {}, 'Memory over baseline (bytes)'), chartBox(chart));
  }

  const cmp = ok.flatMap((s) =>
    s.comparisons
      .filter((c) => c.ratio !== null && c.ratio > 0)
      .map((c) => ({ s, c, t: timeLikeOf(c, s), main: c === headlineComparison(s) })),
  );
  const main = cmp.filter((x) => x.main);
  const details = cmp.filter((x) => !x.main);
  if (main.length) {
    out.append(
      h('h3', {}, 'Changes: time-like ratio candidate/reference (log scale; below 1 = candidate better)'),
      ratioChart('ratio', `${pairName(main)} with its CI; lines: parity and the claim thresholds`, main),
    );
  }
  if (details.length)
    out.append(ratioChart('ratio-details', `Details: ${pairName(details)} with CI (log scale)`, details, true));
  return out;
}

type RatioPoint = { s: ScenarioV1; c: ComparisonV1; t: ReturnType<typeof timeLikeOf>; main: boolean };

const pairName = (xs: RatioPoint[]) => [...new Set(xs.map(({ c }) => `${c.candidate}/${c.reference}`))].join(', ');

/**
 * Time-like ratios on a log scale (0.5× and 2× equally far from parity, so a 26× js/raw bar
 * cannot flatten the rest), as bars from parity to the estimate, with CI whiskers. The axis spans
 * every estimate, CI bound and threshold shown, and everything is clipped to the plot.
 */
function ratioChart(kind: string, title: string, xs: RatioPoint[], withPair = false): HTMLElement {
  const positive = (v: number | null): v is number => v !== null && v > 0 && Number.isFinite(v);
  const values = [
    1,
    ...(withPair ? [] : [MEMORY_CLAIM_RATIO]),
    ...xs.flatMap(({ t }) => [t.ratio, ...t.ci].filter(positive)),
  ];
  const min = Math.min(...values) / 1.25;
  const max = Math.max(...values) * 1.25;
  const c = barChart(
    kind,
    title,
    xs.map(({ s, c }) => (withPair ? `${key(s)} ${c.candidate}/${c.reference}` : key(s))),
    [
      {
        label: pairName(xs),
        data: xs.map(({ t }) => [1, t.ratio!]) as unknown as (number | null)[],
        backgroundColor: xs.map(({ c }, i) => armColor(c.candidate, i) + (withPair ? '99' : '')),
      },
    ],
    {
      yTitle: 'time-like ratio (log)',
      whiskers: {
        ci: [xs.map(({ t }) => (positive(t.ci[0]) && positive(t.ci[1]) ? [t.ci[0], t.ci[1]] : null))],
      },
      // The claims are about rust vs js: their lines belong on the main chart only.
      thresholds: withPair ? RATIO_THRESHOLDS.filter((x) => x.value === 1) : RATIO_THRESHOLDS,
      log: { min, max },
    },
  );
  c.canvas.dataset.scale = 'logarithmic';
  c.canvas.dataset.range = JSON.stringify([min, max]);
  c.canvas.dataset.series = JSON.stringify(xs.map(({ c }) => `${c.candidate}/${c.reference}`));
  return chartBox(c);
}

/** Everything about one results object, into `root`. */
export function renderResults(root: HTMLElement, r: LabResultsV1): void {
  fill(root, headline(r), resultsTable(r), summaryLine(r), claimsPanel(r), resultCharts(r));
  root.hidden = false;
  root.dataset.rendered = String(r.scenarios.length);
  root.dataset.engine = engineKey(r.environment);
  delete root.dataset.runs;
}

/** rust/js in each run of a merged file, side by side (the CLI's engine comparison, as a table). */
function engineComparisonTable(m: LabMergedV1): HTMLElement {
  const { labels, rows } = engineComparisonRows(m.runs);
  return h(
    'table',
    { id: 'engine-comparison', class: 'results' },
    h(
      'caption',
      {},
      'rust/js per run: ratio of the primary value [CI] and verdict. Each run is paired within itself; ' +
        'compare these ratios across engines, never the absolute figures.',
    ),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Scenario'),
        h('th', { scope: 'col' }, 'Better'),
        ...labels.map((l) => h('th', { scope: 'col' }, `rust/js in ${l}`)),
      ),
    ),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          { 'data-key': r.key },
          h('th', { scope: 'row' }, r.key),
          h('td', {}, r.better),
          ...r.cells.map((c, i) => h('td', { 'data-run': i + 1 }, c)),
        ),
      ),
    ),
  );
}

/**
 * A merged file: which runs it holds, the engine comparison when there are several, then each
 * run in full (as renderResults), one after another under its engine's name. Ids inside a run
 * get the run's number (`results-table-run2`): one page, no duplicate ids.
 */
export function renderMerged(root: HTMLElement, m: LabMergedV1): void {
  const labels = runLabels(m.runs);
  const runs = m.runs.map((r, i) => {
    const body = h('div', { class: 'merged-run-body' });
    renderResults(body, r);
    for (const el of body.querySelectorAll('[id]')) el.id = `${el.id}-run${i + 1}`;
    return h(
      'section',
      {
        class: 'merged-run',
        'data-run': i + 1,
        'data-engine': engineKey(r.environment),
        'aria-label': `Run ${i + 1}: ${labels[i]}`,
      },
      h(
        'h3',
        { class: 'run-title' },
        `Run ${i + 1} of ${m.runs.length}: ${engineLabel(r.environment)} · ${r.createdAt}`,
      ),
      body,
    );
  });
  fill(
    root,
    h(
      'p',
      { id: 'merged-summary', class: 'headline' },
      `${m.runs.length} runs merged at ${m.mergedAt}: ${m.runs.map((r) => engineLabel(r.environment)).join(' · ')}`,
    ),
    m.runs.length > 1 ? engineComparisonTable(m) : null,
    ...runs,
  );
  root.hidden = false;
  root.dataset.rendered = String(m.runs.reduce((n, r) => n + r.scenarios.length, 0));
  root.dataset.runs = String(m.runs.length);
  delete root.dataset.engine;
}
