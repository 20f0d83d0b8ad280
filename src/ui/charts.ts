/**
 * Chart.js charts of the lab page and the dashboard. Only the pieces used are imported and
 * registered (tree-shaken bundle). CI whiskers, sample dots and threshold lines are drawn by two
 * small inline plugins instead of extra dependencies. Labels come from data and are drawn on a
 * canvas (never parsed as HTML).
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type ChartDataset,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  type Plugin,
  PointElement,
  Title,
  Tooltip,
} from 'chart.js';
import { SPEED_CLAIM_RATIO, MEMORY_CLAIM_RATIO } from '../lab/defaults';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  LogarithmicScale,
  Legend,
  Title,
  Tooltip,
);

export const ARM_COLORS: Record<string, string> = { rust: '#c2410c', js: '#1d4ed8', raw: '#6b7280' };
export const armColor = (arm: string, i = 0): string => {
  const id = arm.replace(/'$/, '');
  // Own keys only: an arm id from a file such as `__proto__` or `constructor` gets a fallback colour.
  return Object.hasOwn(ARM_COLORS, id) ? ARM_COLORS[id]! : ['#0f766e', '#7c3aed', '#be123c'][i % 3]!;
};

/**
 * One colour per pair (github-action-benchmark's one colour per series): rust/js and rust/raw
 * used to share rust's colour. The headline pair keeps rust's.
 */
export const PAIR_COLORS: Record<string, string> = {
  'rust/js': '#c2410c',
  'rust/raw': '#d97706',
  'js/raw': '#1d4ed8',
};
export const pairColor = (pair: string, i = 0): string =>
  Object.hasOwn(PAIR_COLORS, pair) ? PAIR_COLORS[pair]! : ['#0f766e', '#7c3aed', '#be123c', '#4d7c0f'][i % 4]!;

/** Per-bar extras: [lo, hi] whiskers and raw sample dots (per dataset, per data index). */
interface Whiskers {
  ci?: ([number | null, number | null] | null)[][];
  dots?: number[][][];
}

const whiskerPlugin: Plugin<'bar'> = {
  id: 'labWhiskers',
  afterDatasetsDraw(chart) {
    const extra = (chart.options.plugins as { labWhiskers?: Whiskers }).labWhiskers;
    if (!extra) return;
    const { ctx, chartArea } = chart;
    const y = chart.scales.y!;
    ctx.save();
    // Whiskers and dots stay inside the plot, like the bars (a wide CI must not draw over the axes).
    ctx.beginPath();
    ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top);
    ctx.clip();
    chart.data.datasets.forEach((_ds, di) => {
      const meta = chart.getDatasetMeta(di);
      if (meta.hidden) return;
      meta.data.forEach((bar, i) => {
        const x = (bar as unknown as { x: number }).x;
        const ci = extra.ci?.[di]?.[i];
        if (ci && ci[0] !== null && ci[1] !== null) {
          const [lo, hi] = [y.getPixelForValue(ci[0]), y.getPixelForValue(ci[1])];
          ctx.strokeStyle = '#111';
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(x, lo);
          ctx.lineTo(x, hi);
          ctx.moveTo(x - 5, lo);
          ctx.lineTo(x + 5, lo);
          ctx.moveTo(x - 5, hi);
          ctx.lineTo(x + 5, hi);
          ctx.stroke();
        }
        const dots = extra.dots?.[di]?.[i];
        if (dots) {
          ctx.fillStyle = 'rgba(0,0,0,0.45)';
          dots.forEach((v, k) => {
            ctx.beginPath();
            ctx.arc(x + ((k % 5) - 2) * 3, y.getPixelForValue(v), 2, 0, Math.PI * 2);
            ctx.fill();
          });
        }
      });
    });
    ctx.restore();
  },
};

export interface Threshold {
  value: number;
  label: string;
  color: string;
}

/** Claim thresholds of time-like ratios: 1.0 (parity), 0.6× (40 % faster), 0.5× (50 % less memory). */
export const RATIO_THRESHOLDS: Threshold[] = [
  { value: 1, label: '1.0 (parity)', color: '#111' },
  { value: SPEED_CLAIM_RATIO, label: `${SPEED_CLAIM_RATIO}× speed claim`, color: '#b45309' },
  { value: MEMORY_CLAIM_RATIO, label: `${MEMORY_CLAIM_RATIO}× memory claim`, color: '#7c3aed' },
];

const thresholdPlugin: Plugin = {
  id: 'labThresholds',
  afterDatasetsDraw(chart) {
    const lines = (chart.options.plugins as { labThresholds?: Threshold[] }).labThresholds;
    if (!lines) return;
    const { ctx, chartArea } = chart;
    const y = chart.scales.y!;
    ctx.save();
    ctx.font = '11px sans-serif';
    // Labels never overlap: from the top down, each goes at least one line below the previous.
    let lastLabelY = -Infinity;
    const visible = lines
      .map((t) => ({ t, py: y.getPixelForValue(t.value) }))
      .filter(({ py }) => py >= chartArea.top && py <= chartArea.bottom)
      .sort((a, b) => a.py - b.py);
    for (const { t, py } of visible) {
      ctx.strokeStyle = t.color;
      ctx.setLineDash(t.value === 1 ? [] : [6, 4]);
      ctx.beginPath();
      ctx.moveTo(chartArea.left, py);
      ctx.lineTo(chartArea.right, py);
      ctx.stroke();
      ctx.fillStyle = t.color;
      const labelY = Math.min(chartArea.bottom - 2, Math.max(py - 3, lastLabelY + 12, chartArea.top + 10));
      lastLabelY = labelY;
      ctx.fillText(t.label, chartArea.right - ctx.measureText(t.label).width - 4, labelY);
    }
    ctx.restore();
  },
};

/** Creates a chart on a fresh canvas; `data-chart`/`data-points` let tests see what was drawn. */
export function makeChart(
  kind: string,
  config: ChartConfiguration,
  label: string,
): { canvas: HTMLCanvasElement; chart: Chart } {
  const canvas = document.createElement('canvas');
  canvas.dataset.chart = kind;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  const points = config.data.datasets.reduce((n, d) => n + d.data.filter((v) => v !== null).length, 0);
  canvas.dataset.points = String(points);
  const base = { animation: false, responsive: true, maintainAspectRatio: false } as const;
  config.options = { ...base, ...config.options };
  config.plugins = [...(config.plugins ?? []), whiskerPlugin as Plugin, thresholdPlugin];
  const chart = new Chart(canvas, config);
  return { canvas, chart };
}

export type BarDataset = ChartDataset<'bar', (number | null)[]>;

export function barChart(
  kind: string,
  title: string,
  labels: string[],
  datasets: BarDataset[],
  opts: {
    yTitle?: string;
    whiskers?: Whiskers;
    thresholds?: Threshold[];
    stacked?: boolean;
    beginAtZero?: boolean;
    /** Logarithmic y axis between these bounds (ratios: 0.5 and 2 equally far from 1). */
    log?: { min: number; max: number };
  } = {},
) {
  return makeChart(
    kind,
    {
      type: 'bar',
      data: { labels, datasets },
      options: {
        plugins: {
          title: { display: true, text: title },
          legend: { display: datasets.length > 1 },
          ...({ labWhiskers: opts.whiskers, labThresholds: opts.thresholds } as object),
        },
        scales: {
          x: { stacked: !!opts.stacked },
          y: opts.log
            ? {
                type: 'logarithmic',
                min: opts.log.min,
                max: opts.log.max,
                title: { display: !!opts.yTitle, text: opts.yTitle ?? '' },
              }
            : {
                stacked: !!opts.stacked,
                beginAtZero: opts.beginAtZero ?? true,
                title: { display: !!opts.yTitle, text: opts.yTitle ?? '' },
              },
        },
      },
    } as ChartConfiguration,
    title,
  );
}

export type LineDataset = ChartDataset<'line', (number | null)[]>;

export function lineChart(
  kind: string,
  title: string,
  labels: string[],
  datasets: LineDataset[],
  opts: {
    yTitle?: string;
    thresholds?: Threshold[];
    beginAtZero?: boolean;
    whiskers?: Whiskers;
    log?: { min: number; max: number };
  } = {},
) {
  return makeChart(
    kind,
    {
      type: 'line',
      data: { labels, datasets },
      options: {
        spanGaps: true,
        plugins: {
          title: { display: true, text: title },
          ...({ labThresholds: opts.thresholds, labWhiskers: opts.whiskers } as object),
        },
        scales: {
          y: opts.log
            ? {
                type: 'logarithmic',
                min: opts.log.min,
                max: opts.log.max,
                title: { display: !!opts.yTitle, text: opts.yTitle ?? '' },
              }
            : { beginAtZero: opts.beginAtZero ?? false, title: { display: !!opts.yTitle, text: opts.yTitle ?? '' } },
        },
      },
    } as ChartConfiguration,
    title,
  );
}

/** Appends a chart inside a sized box (Chart.js responsive mode needs a sized parent). */
export function chartBox(c: { canvas: HTMLCanvasElement }, cls = 'chart'): HTMLDivElement {
  const div = document.createElement('div');
  div.className = cls;
  div.append(c.canvas);
  return div;
}
