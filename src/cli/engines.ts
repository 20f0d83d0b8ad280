/**
 * Helpers for runs over several engines or on a browser elsewhere: the page's host name for
 * --host, one output file per engine, and the engine comparison printed after
 * `--browser chromium,firefox` (rust/js in each engine, side by side).
 */
import { networkInterfaces } from 'node:os';
import { engineComparisonRows } from '../lab/merged';
import type { LabResultsV1 } from '../lab/results';

/**
 * The host name a browser reaches the page at: the --host address itself, or for a wildcard
 * (0.0.0.0, ::) this machine's first external IPv4 address (a wildcard is not an address).
 */
export function pageHost(listen: string): string {
  if (listen !== '0.0.0.0' && listen !== '::') return listen;
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}

/** `results/latest.json` → `results/latest.firefox.json` (each engine keeps its own files). */
export function perEngineOut(out: string, engine: string): string {
  return out.endsWith('.json') ? `${out.slice(0, -'.json'.length)}.${engine}.json` : `${out}.${engine}.json`;
}

/**
 * A text table: per scenario, the rust/js ratio (candidate/reference of the primary value, CI
 * at the run's level) and verdict in each engine. Each engine's own pairing cancels its machine
 * load; across engines the ratios are compared, never the absolute figures.
 */
export function engineComparison(runs: LabResultsV1[], candidate = 'rust', reference = 'js'): string {
  const { labels, rows: table } = engineComparisonRows(runs, candidate, reference);
  const header = ['scenario', 'better', ...labels.map((l) => `${candidate}/${reference} in ${l}`)];
  const rows = table.map((r) => [r.key, r.better, ...r.cells]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  const envs = runs
    .map(
      (r, i) =>
        `  ${labels[i]}: ${r.environment.browser}, ${r.environment.engine?.protocol ?? '?'}, ` +
        `crossOriginIsolated=${r.environment.crossOriginIsolated}, ` +
        `timer ${r.environment.timerGranularityUs.toFixed(1)} µs, ` +
        `memory via ${r.environment.memoryMethod}, CPU via ${r.environment.cpuMethod}`,
    )
    .join('\n');
  return [
    `Engine comparison: ${candidate}/${reference} per engine (ratio of the primary value, CI, verdict; "better" says which direction is good)`,
    envs,
    '',
    line(header),
    ...rows.map(line),
  ].join('\n');
}
