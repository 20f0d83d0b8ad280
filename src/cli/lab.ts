/**
 * The headless lab runner: serves the built app with `vite preview`, opens it in Debian's
 * Chromium and prints what the page measured. Until the lab engine lands, its main job is the
 * environment probe: both SDK workers loaded, isolation on, timer granularity.
 *
 * Usage: npx tsx src/cli/lab.ts [--keep-open]
 */
import { chromium } from 'playwright-core';
import { preview } from 'vite';
import { chromiumLaunchOptions } from '../../e2e/chromium';
import type { ProbeReport } from '../workers/contract';

interface ProbeSummary {
  page: { crossOriginIsolated: boolean; timerGranularityUs: number };
  workers: ProbeReport[];
  errors: string[];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}

async function main(): Promise<number> {
  const keepOpen = process.argv.includes('--keep-open');
  const server = await preview({ preview: { port: 4173, host: '127.0.0.1' }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
    const probe = (await page.evaluate(() => (globalThis as unknown as { __probe: unknown }).__probe)) as ProbeSummary;
    console.log(`Ably SDK Lab — environment probe (${url})\n`);
    console.log(`page: crossOriginIsolated=${probe.page.crossOriginIsolated}, timer step ${probe.page.timerGranularityUs.toFixed(1)} µs\n`);
    console.log(
      table([
        ['sdk', 'version', 'isolated', 'timer step', 'load', 'computed by the SDK'],
        ...probe.workers.map((w) => [w.sdk, w.sdkVersion, String(w.crossOriginIsolated), `${w.timerGranularityUs.toFixed(1)} µs`, `${w.loadMs.toFixed(1)} ms`, w.computed]),
      ]),
    );
    if (probe.errors.length) {
      console.error(`\nerrors:\n  ${probe.errors.join('\n  ')}`);
      return 1;
    }
    console.log(`\nBoth workers answered. Open ${url} in a browser to see the page${keepOpen ? ' (Ctrl-C to stop)' : ' (rerun with --keep-open to keep serving it)'}.`);
    if (keepOpen) await new Promise(() => {});
    return 0;
  } finally {
    if (!keepOpen) {
      await browser.close();
      await server.close();
    }
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`lab: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
