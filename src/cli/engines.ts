/**
 * Helpers for runs over several engines or on a browser elsewhere: the page's host name for
 * --host, one output file per engine, and the engine comparison printed after
 * `--browser chromium,firefox` (rust/js in each engine, side by side).
 */
import { networkInterfaces } from 'node:os';
import { runLabels } from '../lab/merged';
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

const fmt = (x: number | null) => (x === null ? '?' : x.toFixed(3));

/**
 * A text table: per scenario, the rust/js ratio (candidate/reference of the primary value, CI
 * at the run's level) and verdict in each engine. Each engine's own pairing cancels its machine
 * load; across engines the ratios are compared, never the absolute figures.
 */
export function engineComparison(runs: LabResultsV1[], candidate = 'rust', reference = 'js'): string {
  const keys: string[] = [];
  for (const r of runs)
    for (const s of r.scenarios) {
      const k = `${s.id} [${s.protocol}]`;
      if (!keys.includes(k)) keys.push(k);
    }
  const labels = runLabels(runs);
  const header = ['scenario', 'better', ...labels.map((l) => `${candidate}/${reference} in ${l}`)];
  const rows = keys.map((k) => {
    let better = '';
    const cells = runs.map((r) => {
      const s = r.scenarios.find((x) => `${x.id} [${x.protocol}]` === k);
      if (!s) return 'not run';
      better = s.better;
      if (s.status !== 'ok') return s.status;
      const c = s.comparisons.find((x) => x.candidate === candidate && x.reference === reference);
      return c ? `${fmt(c.ratio)} [${fmt(c.ci[0])}, ${fmt(c.ci[1])}] ${c.verdict}` : 'no pair';
    });
    return [k, better, ...cells];
  });
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
