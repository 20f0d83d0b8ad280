/**
 * History dashboard: per scenario, the Rust/JS (candidate/reference) time-like ratio and each
 * arm's median over commits/runs, with the claim thresholds drawn; one line per engine (solid:
 * Chromium, dashed: any other engine), never one line across engines. Inputs: github-action-benchmark
 * `data.js` / JSON, lab results files and merged files (several, or a folder), by file input or
 * drag-and-drop.
 */
import { armColor, chartBox, lineChart, pairColor, RATIO_THRESHOLDS } from './charts';
import { byId, fill, h } from './dom';
import { buildHistory, type History } from './history';
import { wireDrop } from './share';

const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** A log axis spanning parity, the claim thresholds and every value, with a margin. */
function logRange(values: (number | null)[]): { min: number; max: number } {
  const xs = [1, 0.5, ...values.filter((v): v is number => v !== null && v > 0 && Number.isFinite(v))];
  return { min: Math.min(...xs) / 1.25, max: Math.max(...xs) * 1.25 };
}

/** `rust/js · firefox` → its colour key (`rust/js`) and engine. */
function splitSeries(name: string): { series: string; engine: string } {
  const at = name.lastIndexOf(' · ');
  return at < 0 ? { series: name, engine: '' } : { series: name.slice(0, at), engine: name.slice(at + 3) };
}
const dash = (engine: string) => (engine === 'chromium' ? [] : [6, 4]);

function render(hist: History): void {
  const labels = hist.runs.map((r) => r.label);
  // Page runs (no CDP; medians ≈2× the CLI's) are triangles, CLI/CI runs circles.
  const pointStyle = hist.runs.map((r) => (r.kind === 'page' ? 'triangle' : 'circle'));
  const pointRadius = hist.runs.map((r) => (r.kind === 'page' ? 5 : 3));
  const blocks = hist.scenarios.map((s) => {
    const ratioEntries = Object.entries(s.ratios);
    const ratioSets = ratioEntries.map(([name, data], i) => {
      const { series, engine } = splitSeries(name);
      return {
        label: name,
        data,
        borderColor: pairColor(series, i),
        backgroundColor: pairColor(series, i),
        borderDash: dash(engine),
        pointStyle,
        pointRadius,
      };
    });
    const medianSets = Object.entries(s.medians).map(([name, data], i) => {
      const { series, engine } = splitSeries(name);
      return {
        label: name,
        data,
        borderColor: armColor(series, i),
        backgroundColor: armColor(series, i),
        borderDash: dash(engine),
        pointStyle,
        pointRadius,
      };
    });
    const withSeries = (c: ReturnType<typeof lineChart>, sets: { label: string }[]) => {
      c.canvas.dataset.series = JSON.stringify(sets.map((x) => x.label));
      return c;
    };
    return h(
      'section',
      { class: 'scenario-history', 'data-key': s.key },
      h('h3', {}, s.key),
      h(
        'div',
        { class: 'chart-grid' },
        ratioSets.length
          ? chartBox(
              withSeries(
                lineChart(
                  'history-ratio',
                  `${s.key}: time-like ratio with CI (below 1 = candidate better)`,
                  labels,
                  ratioSets,
                  {
                    yTitle: 'ratio (log)',
                    thresholds: RATIO_THRESHOLDS,
                    // Log scale: a 20× js/raw line must not flatten rust/js onto the axis.
                    log: logRange([
                      ...ratioEntries.flatMap(([, data]) => data),
                      ...Object.values(s.ratioCi).flatMap((cis) => cis.flatMap((ci) => ci ?? [])),
                    ]),
                    whiskers: { ci: ratioEntries.map(([pair]) => s.ratioCi[pair] ?? []) },
                  },
                ),
                ratioSets,
              ),
              'chart small',
            )
          : null,
        medianSets.length
          ? chartBox(
              withSeries(
                lineChart('history-median', `${s.key}: median per arm (${s.unit})`, labels, medianSets, {
                  yTitle: s.unit,
                }),
                medianSets,
              ),
              'chart small',
            )
          : null,
      ),
    );
  });
  const pages = hist.runs.filter((r) => r.kind === 'page').length;
  const engines = [...new Set(hist.runs.map((r) => r.engine))].sort();
  fill(
    byId('history'),
    h('p', { id: 'history-summary' }, `${hist.runs.length} runs, ${hist.scenarios.length} scenarios.`),
    engines.length
      ? h(
          'p',
          { class: 'sub', id: 'history-engines', 'data-engines': engines.join(',') },
          `Engines: ${engines.map((e) => `${e} (${e === 'chromium' ? 'solid' : 'dashed'})`).join(', ')}; ` +
            'each engine is its own line (a series is named "pair · engine"): compare engines by their ratios only.',
        )
      : null,
    pages
      ? h(
          'p',
          { class: 'sub', id: 'history-kinds' },
          `▲ ${pages} page run${pages === 1 ? '' : 's'} (the lab page: no CDP, medians about 2× the CLI's; compare ratios, not medians), ` +
            `● CLI and CI runs. Whiskers: the ratio's CI.`,
        )
      : h('p', { class: 'sub' }, 'Whiskers: the ratio’s CI.'),
    ...blocks,
  );
}

async function load(files: File[]): Promise<void> {
  const status = byId('dash-status');
  const inputs: { name: string; text: string }[] = [];
  const errors: string[] = [];
  for (const f of files) {
    if (f.size > MAX_FILE_BYTES) errors.push(`${f.name}: too large`);
    else inputs.push({ name: f.webkitRelativePath || f.name, text: await f.text() });
  }
  const { history, errors: parseErrors } = buildHistory(inputs);
  errors.push(...parseErrors);
  render(history);
  status.textContent = `Loaded ${inputs.length - parseErrors.length} of ${files.length} files.${errors.length ? ` Skipped: ${errors.join('; ')}` : ''}`;
  document.body.dataset.loaded = String(history.scenarios.length);
}

wireDrop(byId('drop-zone'), byId<HTMLInputElement>('history-files'), (f) => void load(f));
byId<HTMLInputElement>('history-folder').addEventListener('change', (e) => {
  const input = e.target as HTMLInputElement;
  const files = [...(input.files ?? [])].filter((f) => /\.(json|js)$/i.test(f.name));
  if (files.length) void load(files);
});
document.body.dataset.ready = 'ok';
