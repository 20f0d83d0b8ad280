import { expect, test } from '@playwright/test';
import { encodePermalink } from '../src/lab/permalink.ts';
import { type LabResultsV1, validateResults } from '../src/lab/results.ts';
import { guard, inEngine, results } from './page-fixtures.ts';

/**
 * What the results view shows must agree with itself: every chart bar is the value in the table
 * beside it. Synthetic results, so the expected numbers are known.
 */

/** A memory run as the runner writes it today: the Rust SDK's channel state lives in wasm (`wasmLive`). */
function memoryRun(): LabResultsV1 {
  const r = results({ memory: true });
  const mem = r.scenarios.find((s) => s.id === 'memory-idle-client')!;
  const rust = mem.arms.find((a) => a.arm === 'rust')!;
  // The median of the totals (the table) differs from the sum of the parts' medians, as in real runs.
  rust.median = 272_000;
  rust.memory = {
    jsHeapUsed: 4_000,
    backing: 1_000,
    wasmLinear: 327_680,
    wasmLive: 256_000,
    total: 261_000,
    mUASM: 5_000,
  };
  return r;
}

test('memory and median charts draw exactly the medians in the table, wasm memory included', async ({ page }) => {
  const r = memoryRun();
  expect(validateResults(r).ok).toBe(true);
  const check = guard(page);
  await page.goto(`/#${await encodePermalink(r)}`);
  await expect(page.locator('#results-table tbody tr')).toHaveCount(2);

  const table = async (scenario: string, arm: string) =>
    Number(
      await page
        .locator(`#results-table tr[data-scenario="${scenario}"] td[data-arm="${arm}"] .median`)
        .getAttribute('data-value'),
    );
  const memory = page.locator('canvas[data-chart=memory]');
  const totals = JSON.parse((await memory.getAttribute('data-totals'))!) as [string, number][];
  const split = JSON.parse((await memory.getAttribute('data-split'))!) as {
    total: number;
    jsHeap: number;
    backing: number;
    wasmLive: number;
  }[];
  expect(totals.map(([label]) => label)).toEqual(['memory-idle-client · js', 'memory-idle-client · rust']);
  for (const [i, [label, total]] of totals.entries()) {
    const arm = label.split(' · ')[1]!;
    expect(total, label).toBe(await table('memory-idle-client', arm));
    const p = split[i]!;
    expect(p.jsHeap + p.backing + p.wasmLive, `${label}: the stacked parts add up to the table's median`).toBeCloseTo(
      total,
      6,
    );
  }
  // Rust's bar is mostly wasm (its channel state), not the few KB of its JS side.
  expect(split[1]!.wasmLive / split[1]!.total).toBeGreaterThan(0.9);

  const medianCharts = await page
    .locator('canvas[data-chart=median]')
    .evaluateAll((els) => els.map((e) => JSON.parse((e as HTMLCanvasElement).dataset.totals!) as [string, number][]));
  expect(medianCharts).toHaveLength(2);
  for (const [label, value] of medianCharts.flat()) {
    const [scenario, arm] = label.split(' · ') as [string, string];
    expect(value, label).toBe(await table(scenario, arm));
  }
  await check();
});

test('the headline: one line for the run, the rust vs js change per scenario, claims quoting the same number', async ({
  page,
}) => {
  const check = guard(page);
  await page.goto(`/#${await encodePermalink(results({ memory: true }))}`);
  await expect(page.locator('#results-headline')).toHaveText('rust vs js: 1 faster, 1 less memory; claims: 2 hold');
  const ws = page.locator('#results-table tr[data-scenario=ws-roundtrip]');
  await expect(ws.locator('td.change')).toHaveText('rust 50% faster [45–55%]');
  await expect(ws.locator('td.verdict')).toHaveText('faster');
  await expect(ws.locator('td.claim')).toHaveText('holds (≥40% faster)');
  const mem = page.locator('#results-table tr[data-scenario=memory-idle-client]');
  await expect(mem.locator('td.change')).toHaveText('rust uses 63% less memory [55–70%]');
  await expect(mem.locator('td.verdict')).toHaveText('less memory');
  await expect(page.locator('#claims li[data-scenario=memory-idle-client]')).toContainText(
    'rust uses 63% less memory [55–70%]',
  );
  await expect(page.locator('#claims li[data-scenario=ws-roundtrip]')).toContainText('rust 50% faster [45–55%]');
  await check();
});

test('ratio charts: log scale, rust/js as the main series, details apart, every whisker inside the axis range', async ({
  page,
}) => {
  const r = results();
  r.arms.push({ ...r.arms[0]!, id: 'raw', sdk: 'raw' });
  const ws = r.scenarios[0]!;
  ws.arms.push({ ...ws.arms[0]!, arm: 'raw', median: 0.16 });
  ws.comparisons.push(
    { candidate: 'rust', reference: 'raw', ratio: 13, ci: [11, 15.5], n: 6, method: 't-log-ratio', verdict: 'slower' },
    { candidate: 'js', reference: 'raw', ratio: 26, ci: [22, 31], n: 6, method: 't-log-ratio', verdict: 'slower' },
  );
  expect(validateResults(r).ok).toBe(true);
  const check = guard(page);
  await page.goto(`/#${await encodePermalink(r)}`);
  const main = page.locator('canvas[data-chart=ratio]');
  await expect(main).toHaveAttribute('data-scale', 'logarithmic');
  await expect(main).toHaveAttribute('data-series', JSON.stringify(['rust/js']));
  const details = page.locator('canvas[data-chart=ratio-details]');
  await expect(details).toHaveAttribute('data-series', JSON.stringify(['rust/raw', 'js/raw']));
  for (const [chart, bounds] of [
    [main, [0.45, 0.55]],
    [details, [11, 31]],
  ] as const) {
    const [min, max] = JSON.parse((await chart.getAttribute('data-range'))!) as [number, number];
    expect(min).toBeLessThan(Math.min(...bounds, 1));
    expect(max).toBeGreaterThan(Math.max(...bounds, 1));
  }
  // The rust/js bar is not a sliver: on the log axis it spans a good part of the plot.
  const [min, max] = JSON.parse((await main.getAttribute('data-range'))!) as [number, number];
  expect(Math.log(1 / 0.5) / Math.log(max / min)).toBeGreaterThan(0.3);
  await check();
});

test('first view: a quick preset chosen, Run in view with its estimate, a one-line environment', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'ok', { timeout: 30_000 });
  const chosen = await page
    .locator('input[name=scenario]:checked')
    .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(chosen).toEqual(['publish-ack-latency', 'memory-1000-channels']);
  await expect(page.locator('input[name=mode][value=quick]')).toBeChecked();
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeInViewport();
  // The shared-link banner belongs to shared links only (its flex layout used to override \`hidden\`).
  await expect(page.locator('#shared-banner')).toBeHidden();
  await expect(page.locator('#run-estimate')).toContainText(/^up to \d+ s: 2 scenarios × 1 protocol × \d arms, quick$/);
  // One line of environment; the user agent and the probe table only on demand.
  await expect(page.locator('#env-summary')).toHaveText(/^\w+ \d+ · \d+ cores · isolated · timer \d+ µs/);
  await expect(page.locator('#env-browser')).toBeHidden();
  const summaryBox = await page.locator('#env-details summary').boundingBox();
  expect(summaryBox!.height).toBeLessThan(40);

  // Run with nothing chosen: a visible alert, focus on the first scenario.
  await page
    .locator('input[name=scenario]:checked')
    .evaluateAll((els) => els.forEach((e) => ((e as HTMLInputElement).checked = false)));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'choose at least one scenario' })).toBeVisible();
  await expect(page.locator('input[name=scenario]').first()).toBeFocused();

  // An import brings the results into view, and the table fits the page's column.
  const r = results({ memory: true });
  r.arms.push({ ...r.arms[0]!, id: 'raw', sdk: 'raw' });
  for (const s of r.scenarios) s.arms.push({ ...s.arms[0]!, arm: 'raw' });
  await page
    .locator('#import-file')
    .setInputFiles({ name: 'r.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(r)) });
  await expect(page.locator('#results-headline')).toBeInViewport();
  const table = await page.locator('#results-table').evaluate((t) => ({
    table: t.scrollWidth,
    column: (t.parentElement as HTMLElement).clientWidth,
  }));
  expect(table.table).toBeLessThanOrEqual(table.column);
});

test('a shared link shows the run’s environment, not the viewer’s', async ({ page }) => {
  await page.goto(`/#${await encodePermalink(results())}`);
  await expect(page.locator('#results-table tbody tr')).toHaveCount(1);
  await expect(page.locator('#environment')).toBeHidden();
  await expect(page.locator('#results-summary')).toContainText('Chromium test');
  await page.getByRole('button', { name: 'Run this yourself' }).click();
  await expect(page.locator('#environment')).toBeVisible();
});

test('the results view names the engine: a CLI run by engine, version and protocol; a page run by its browser', async ({
  page,
}) => {
  await page.goto(`/#${await encodePermalink(inEngine(results(), 'firefox', true))}`);
  await expect(page.locator('#results-summary dd.engine')).toHaveText(
    /^Firefox 153\.8 \(BiDi, remote\) · 2 cores · crossOriginIsolated=true/,
  );
  await expect(page.locator('#results')).toHaveAttribute('data-engine', 'firefox');
  const pageRun = results();
  pageRun.environment.browser =
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
  await page.goto('about:blank');
  await page.goto(`/#${await encodePermalink(pageRun)}`);
  await expect(page.locator('#results-summary dd.engine')).toHaveText(/^Chromium 142 \(page\) · 2 cores/);
  await expect(page.locator('#results')).toHaveAttribute('data-engine', 'chromium');
});
