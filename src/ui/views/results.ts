/**
 * Renders a LabResultsV1 (from a run, an imported file or a permalink): summary line, results
 * table with verdict badges / integrity / server-bound flags, the claims panel and the charts.
 * Text only (no innerHTML): every string may come from a hostile link.
 */
import type { ArmResultV1, LabResultsV1, ScenarioV1 } from '../../lab/results';
import { fmt, fmtCi } from '../../lab/summary';
import { timeLike } from '../../lab/verdict';
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

export function resultsTable(r: LabResultsV1): HTMLTableElement {
  const ids = r.arms.map((a) => a.id);
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, 'Scenario'),
    h('th', { scope: 'col' }, 'Unit'),
    ...ids.map((id) => h('th', { scope: 'col' }, `${id} median [95% CI]`)),
    h('th', { scope: 'col' }, 'Ratio [95% CI]'),
    h('th', { scope: 'col' }, 'Verdict'),
    h('th', { scope: 'col' }, 'Integrity'),
    h('th', { scope: 'col' }, 'Flags'),
  );
  const rows = r.scenarios.map((s) => {
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
    flags.push(h('span', { class: 'sub' }, ` n=${s.rounds}, ${s.stoppedBy}`));
    return h(
      'tr',
      { 'data-scenario': s.id, 'data-protocol': s.protocol, 'data-status': s.status },
      h('th', { scope: 'row' }, h('div', {}, key(s)), h('div', { class: 'sub title' }, s.title)),
      h('td', {}, `${s.unit} (${s.better} is better)`),
      ...ids.map((id) =>
        armCell(
          s,
          s.arms.find((a) => a.arm === id),
        ),
      ),
      h(
        'td',
        { class: 'num ratio' },
        ...s.comparisons.map((c) => h('div', {}, `${c.candidate}/${c.reference} ${fmt(c.ratio)} ${fmtCi(c.ci)}`)),
      ),
      h(
        'td',
        { class: 'verdict' },
        ...s.comparisons.map((c) =>
          h('div', {}, badge(c.verdict, c.verdict, `${c.candidate} vs ${c.reference}, n=${c.n}`)),
        ),
      ),
      integrityCell(s),
      h('td', { class: 'flags' }, ...flags),
    );
  });
  return h(
    'table',
    { id: 'results-table', class: 'results' },
    h(
      'caption',
      {},
      "Per scenario: each arm's median with its 95% CI, the paired ratio candidate/reference and its verdict.",
    ),
    h('thead', {}, head),
    h('tbody', {}, ...rows),
  );
}

export function claimsPanel(r: LabResultsV1): HTMLElement {
  const items = r.scenarios.flatMap((s) =>
    s.claims.map((c) =>
      h(
        'li',
        { 'data-scenario': s.id, 'data-claim': c.kind, 'data-status': c.status },
        badge(`claim-${c.status.replace('/', '')}`, c.status),
        ` ${key(s)}: “${c.text}” — ${c.candidate}/${c.reference} time-like ratio ${fmt(c.ratio)} ${fmtCi(c.ci)} vs ≤ ${c.threshold}`,
      ),
    ),
  );
  return h(
    'section',
    { id: 'claims', 'aria-label': 'Claims' },
    h('h3', {}, 'Claims'),
    items.length ? h('ul', {}, ...items) : h('p', {}, 'No claims were evaluated (no rust arm in this run).'),
  );
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
      `${r.createdAt} · ${fmt(r.durationS)} s · ${r.config.quick ? 'quick' : 'full'} · budget ${r.config.budgetS} s${r.config.aa ? ' · A/A' : ''}`,
    ),
    h('dt', {}, 'Browser'),
    h(
      'dd',
      {},
      `${e.browser} · ${e.cores} cores · crossOriginIsolated=${e.crossOriginIsolated} · timer ${fmt(e.timerGranularityUs)} µs`,
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
      `memory via ${e.memoryMethod}, CPU via ${e.cpuMethod}${e.gitCommit ? ` · commit ${e.gitCommit.slice(0, 10)}${e.gitDirty ? ' (dirty)' : ''}` : ''}`,
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
      .filter((c) => c.ratio !== null)
      .map((c) => ({ s, c, t: timeLike(c.ratio!, { lo: c.ci[0] ?? c.ratio!, hi: c.ci[1] ?? c.ratio! }, s.better) })),
  );
  if (cmp.length) {
    out.append(
      h('h3', {}, 'Time-like ratios candidate/reference (below 1 = candidate better)'),
      chartBox(
        barChart(
          'ratio',
          'Ratio with 95% CI; lines: 1.0, 0.6× and 0.5× claim thresholds',
          cmp.map(({ s, c }) => `${key(s)} ${c.candidate}/${c.reference}`),
          [
            {
              label: 'time-like ratio',
              data: cmp.map(({ t }) => t.ratio),
              backgroundColor: cmp.map(({ c }) => armColor(c.candidate)),
            },
          ],
          {
            yTitle: 'ratio',
            whiskers: { ci: [cmp.map(({ c, t }) => (c.ci[0] === null ? null : [t.ci.lo, t.ci.hi]))] },
            thresholds: RATIO_THRESHOLDS,
          },
        ),
      ),
    );
  }
  return out;
}

/** Everything about one results object, into `root`. */
export function renderResults(root: HTMLElement, r: LabResultsV1): void {
  fill(root, summaryLine(r), resultsTable(r), claimsPanel(r), resultCharts(r));
  root.hidden = false;
  root.dataset.rendered = String(r.scenarios.length);
}
