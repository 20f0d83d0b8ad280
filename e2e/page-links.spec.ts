import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { writeOutputs } from '../src/cli/outputs.ts';
import { encodePermalink } from '../src/lab/permalink.ts';
import { validateResults } from '../src/lab/results.ts';
import { deflate, guard, mergedFixture, results, XSS_TITLE } from './page-fixtures.ts';

/**
 * Opening results someone else made: permalinks (valid, corrupt, truncated, oversized, hostile),
 * results files (file input and drag-and-drop) and the history dashboard. Data is synthetic so
 * the expected numbers are known.
 */
test('a valid link with hostile strings renders them as text, read-only', async ({ page }) => {
  const r = results({ title: XSS_TITLE, reason: '<script>window.__pwned=3</script>', memory: true });
  expect(validateResults(r).ok).toBe(true);
  const check = guard(page);
  await page.goto(`/#${await encodePermalink(r)}`);
  await expect(page.locator('#results-table tbody tr')).toHaveCount(2);
  await expect(page.locator('#results-table tr[data-scenario=ws-roundtrip] .title')).toHaveText(XSS_TITLE);
  // Memory: stacked bars, JS heap + ArrayBuffers + wasm linear memory for both arms (3 × 2 values).
  await expect(page.locator('canvas[data-chart=memory]')).toHaveAttribute('data-points', '6');
  await expect(page.locator('#claims li[data-claim=memory][data-status=holds]')).toHaveCount(1);
  await expect(
    page.locator('#results-table tr[data-scenario=memory-idle-client] td[data-arm=rust] .median'),
  ).toHaveText('146 KiB');
  await expect(page.locator('#results-summary')).toContainText(XSS_TITLE);
  const ws = page.locator('#results-table tr[data-scenario=ws-roundtrip]');
  await expect(ws.locator('td.verdict')).toHaveText('faster');
  await expect(ws.locator('td.flags')).toContainText('server-bound');
  await expect(page.locator('#claims li[data-claim=speed][data-status=holds]')).toHaveCount(1);
  await expect(ws.locator('td[data-arm=rust] .median')).toHaveText('2');
  await expect(ws.locator('td[data-arm=js] .median')).toHaveText('4');
  await expect(page.locator('#shared-banner')).toBeVisible();
  await expect(page.locator('#link-error')).toBeHidden();
  await check();
});

test('corrupt, truncated, oversized, too long and schema-invalid links show an error and nothing else', async ({
  page,
}) => {
  const check = guard(page);
  const good = await encodePermalink(results());
  const hostileInvalid = {
    ...results(),
    scenarios: [{ ...results().scenarios[0], title: 42, id: XSS_TITLE, group: XSS_TITLE }],
  };
  const cases: [string, RegExp][] = [
    ['r1.@@not*base64', /corrupt \(not base64url\)/],
    [good.slice(0, Math.floor(good.length / 2)), /corrupt or truncated|not JSON/],
    [`r1.${await deflate(' '.repeat(3 * 1024 * 1024))}`, /too large/],
    [`r1.${'A'.repeat(1024 * 1024 + 10)}`, /too long/],
    ['x9.abc', /not a lab results link/],
    [`r1.${await deflate(JSON.stringify(hostileInvalid))}`, /does not hold valid lab results/],
    [`r1.${await deflate(JSON.stringify({ ...results(), schemaVersion: 2 }))}`, /version 1, got 2/],
  ];
  for (const [hash, message] of cases) {
    await page.goto('about:blank');
    await page.goto(`/#${hash}`);
    await expect(page.locator('#link-error'), hash.slice(0, 30)).toBeVisible();
    await expect(page.locator('#link-error')).toContainText(message);
    await expect(page.locator('#results-section')).toBeHidden();
    await expect(page.locator('#results-table')).toHaveCount(0);
    await expect(page.locator('body')).toHaveAttribute('data-view', 'link-error');
    await check();
  }
});

test('a results JSON opens by file input and by drag-and-drop; an invalid one is refused', async ({ page }) => {
  const check = guard(page);
  await page.goto('/');
  await page.locator('#import-file').setInputFiles({
    name: 'a.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(results({ median: 3 }))),
  });
  await expect(page.locator('#results-table td[data-arm=rust] .median')).toHaveText('3');
  await expect(page.locator('#results-source')).toContainText('a.json');

  await page.evaluate(
    ({ text }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
      document
        .getElementById('drop-zone')!
        .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { text: JSON.stringify(results({ median: 7, title: XSS_TITLE })) },
  );
  await expect(page.locator('#results-table td[data-arm=rust] .median')).toHaveText('7');
  await expect(page.locator('#results-source')).toContainText('dropped.json');
  await expect(page.locator('#results-table .title')).toHaveText(XSS_TITLE);

  await page
    .locator('#import-file')
    .setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"schemaVersion":1}') });
  await expect(page.locator('#import-status')).toContainText('bad.json: not valid lab results');
  await expect(page.locator('#results-table td[data-arm=rust] .median')).toHaveText('7'); // unchanged
  await check();
});

test('the dashboard plots ratios and medians over runs from data.js plus results files', async ({ page }) => {
  const check = guard(page);
  const run = (id: string, ts: string, ratio: number, rust: number) => ({
    commit: { id, message: 'm', timestamp: ts, url: 'https://example.invalid' },
    date: Date.parse(ts),
    tool: 'customSmallerIsBetter',
    benches: [
      { name: 'ws-roundtrip [json] rust', value: rust, unit: 'ms' },
      { name: 'ws-roundtrip [json] js', value: rust / ratio, unit: 'ms' },
      { name: 'ws-roundtrip [json] rust/js time ratio', value: ratio, unit: 'ratio' },
      { name: 'ws-roundtrip [json] rust worker CPU', value: 3, unit: 'µs/msg' },
      { name: 'rest-publish-single-100 [json] raw/js time ratio', value: 0.8, unit: 'ratio' },
    ],
  });
  const data = {
    lastUpdate: 1,
    repoUrl: 'x',
    entries: {
      'Ably SDK Lab': [
        run('aaaaaaaa1', '2026-04-01T00:00:00Z', 0.7, 2),
        run('bbbbbbbb2', '2026-04-02T00:00:00Z', 0.55, 1.8),
      ],
    },
  };
  await page.goto('/dashboard.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'ok');
  await page.locator('#history-files').setInputFiles([
    {
      name: 'data.js',
      mimeType: 'text/javascript',
      buffer: Buffer.from(`window.BENCHMARK_DATA = ${JSON.stringify(data)}`),
    },
    {
      name: 'latest.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(results({ createdAt: '2026-04-03T00:00:00.000Z', commit: 'cccccccc3' }))),
    },
    {
      name: 'junk.json',
      mimeType: 'application/json',
      buffer: Buffer.from(`{"title":"${'<script>window.__pwned=4</script>'}"}`),
    },
  ]);
  await expect(page.locator('#history-summary')).toHaveText('3 runs, 2 scenarios.');
  await expect(page.locator('#dash-status')).toContainText('junk.json');
  const ws = page.locator('section[data-key="ws-roundtrip [json]"]');
  await expect(ws.locator('canvas[data-chart=history-ratio]')).toHaveAttribute('data-points', '3');
  await expect(ws.locator('canvas[data-chart=history-median]')).toHaveAttribute('data-points', '6');
  await expect(
    page.locator('section[data-key="rest-publish-single-100 [json]"] canvas[data-chart=history-ratio]'),
  ).toHaveAttribute('data-points', '2');
  await check();
});

test('hostile files: `__proto__` ids leave Object.prototype alone, a huge bad version is quoted short, impossible numbers are refused', async ({
  page,
}) => {
  const check = guard(page);
  const prototypeKeys = () =>
    page.evaluate(() => Object.getOwnPropertyNames(Object.prototype).length + Object.keys(Object.prototype).length);

  // The dashboard: a results file whose arm is `__proto__`, and data.js with `__proto__` series.
  await page.goto('/dashboard.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'ok');
  const before = await prototypeKeys();
  const r = results({ createdAt: '2026-04-03T00:00:00.000Z' });
  r.arms[1]!.id = '__proto__';
  r.scenarios[0]!.arms[1]!.arm = '__proto__';
  r.scenarios[0]!.comparisons[0]!.candidate = '__proto__';
  const bench = {
    commit: { id: 'ddddddd4', timestamp: '2026-04-04T00:00:00Z' },
    benches: [
      { name: 'ws-roundtrip [json] __proto__', value: 3, unit: 'ms' },
      { name: 'ws-roundtrip [json] __proto__/js time ratio', value: 0.5, unit: 'ratio' },
    ],
  };
  await page.locator('#history-files').setInputFiles([
    {
      name: 'data.js',
      mimeType: 'text/javascript',
      // As text: a file on disk keeps `__proto__` as an own key of `entries`.
      buffer: Buffer.from(`window.BENCHMARK_DATA = {"entries":{"__proto__":[${JSON.stringify(bench)}]}}`),
    },
    { name: 'proto.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(r)) },
  ]);
  await expect(page.locator('#history-summary')).toHaveText('2 runs, 1 scenarios.');
  expect(await prototypeKeys()).toBe(before);
  expect(await page.evaluate(() => ({}) as Record<string, unknown>)).toEqual({});
  expect(await page.evaluate(() => Object.hasOwn(Object.prototype, '0') || Object.hasOwn(Object.prototype, '1'))).toBe(
    false,
  );
  await check();

  // The lab page: an 8 MB file with an invalid schemaVersion fails fast with a short message.
  await page.goto('/');
  const huge = JSON.stringify({ ...results(), schemaVersion: 'v'.repeat(7_500_000) });
  const t0 = Date.now();
  await page
    .locator('#import-file')
    .setInputFiles({ name: 'huge.json', mimeType: 'application/json', buffer: Buffer.from(huge) });
  await expect(page.locator('#import-status')).toContainText('this lab reads version 1');
  const message = (await page.locator('#import-status').textContent())!;
  expect(message.length).toBeLessThan(300);
  console.log(`8 MB invalid file refused in ${Date.now() - t0} ms: ${message}`);

  // Impossible numbers: a negative time, an upside-down CI, a negative ratio; each refused.
  const spoiled: [string, (x: ReturnType<typeof results>) => void, RegExp][] = [
    ['negative.json', (x) => void (x.scenarios[0]!.arms[0]!.median = -4), /negative ms figures/],
    ['huge.json', (x) => void (x.scenarios[0]!.arms[0]!.median = 1e308), /finite number/],
    ['upside-down.json', (x) => void (x.scenarios[0]!.comparisons[0]!.ci = [0.9, 0.1]), /low end 0\.9 above high end/],
    ['negative-ratio.json', (x) => void (x.scenarios[0]!.comparisons[0]!.ratio = -1), /ratio must be positive/],
  ];
  for (const [name, spoil, msg] of spoiled) {
    const x = results();
    spoil(x);
    await page
      .locator('#import-file')
      .setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(x)) });
    await expect(page.locator('#import-status')).toContainText(`${name}: not valid lab results`);
    await expect(page.locator('#import-status')).toContainText(msg);
    await expect(page.locator('#results-table')).toHaveCount(0);
  }
  expect(await prototypeKeys()).toBe(before);
  await check();
});

test('the permalink the CLI writes opens in the page it names and renders the run', async ({ page, baseURL }) => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-links-'));
  const r = results({ memory: true });
  // The CLI passes --permalink-base (here the preview page this test serves) to writeOutputs.
  const paths = await writeOutputs(r, join(dir, 'latest.json'), `${baseURL}/`);
  const link = readFileSync(paths.permalinkFile, 'utf8').trim();
  expect(link).toBe(paths.permalink);
  expect(link.startsWith(`${baseURL}/#r1.`)).toBe(true);
  // The Markdown summary leaves a localhost link out (it would not open for a CI reader).
  expect(readFileSync(paths.markdown, 'utf8')).not.toContain('127.0.0.1');
  const check = guard(page);
  await page.goto(link);
  await expect(page.locator('#results-table tbody tr')).toHaveCount(2);
  await expect(page.locator('#results-headline')).toHaveText('rust vs js: 1 faster, 1 less memory; claims: 2 hold');
  await check();
});

test('a merged file (Chromium + Firefox) opens by file input and as one link: each run under its engine', async ({
  page,
}) => {
  const check = guard(page);
  const merged = mergedFixture();
  const expectBothRuns = async () => {
    await expect(page.locator('#results')).toHaveAttribute('data-runs', '2');
    const runs = page.locator('section.merged-run');
    await expect(runs).toHaveCount(2);
    await expect(runs.nth(0)).toHaveAttribute('data-engine', 'chromium');
    await expect(runs.nth(0).locator('.run-title')).toContainText('Run 1 of 2: Chromium 156 (CDP)');
    await expect(runs.nth(0).locator('td[data-arm=rust] .median')).toHaveText('2');
    await expect(runs.nth(1)).toHaveAttribute('data-engine', 'firefox');
    await expect(runs.nth(1).locator('.run-title')).toContainText('Run 2 of 2: Firefox 153.8 (BiDi, remote)');
    await expect(runs.nth(1).locator('td[data-arm=rust] .median')).toHaveText('5');
    await expect(runs.nth(1).locator('dd.engine')).toContainText('Firefox 153.8 (BiDi, remote) · 2 cores');
    // The engine comparison: rust/js in each run, side by side.
    const row = page.locator('#engine-comparison tr[data-key="ws-roundtrip [json]"]');
    await expect(row.locator('td[data-run="1"]')).toHaveText('0.500 [0.450, 0.550] faster');
    await expect(row.locator('td[data-run="2"]')).toHaveText('0.500 [0.450, 0.550] faster');
    // One page, no duplicate ids.
    const ids = await page.locator('[id]').evaluateAll((els) => els.map((e) => e.id));
    expect(ids.length).toBe(new Set(ids).size);
  };

  await page.goto('/');
  await page.locator('#import-file').setInputFiles({
    name: 'merged.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(merged)),
  });
  await expect(page.locator('#import-status')).toHaveText('Imported merged.json (2 runs).');
  await expectBothRuns();

  // Share: one link for both runs; it opens them read-only.
  await page.locator('#share').click();
  const url = await page.locator('#share-url').inputValue();
  expect(url).toMatch(/#r1\./);
  await page.goto('about:blank');
  await page.goto(url);
  await expect(page.locator('#shared-banner')).toBeVisible();
  await expect(page.locator('#results-source')).toContainText('Shared runs');
  await expectBothRuns();

  // By drag-and-drop too.
  await page.goto('/');
  await page.evaluate(
    ({ text }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped-merged.json', { type: 'application/json' }));
      document
        .getElementById('drop-zone')!
        .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { text: JSON.stringify(merged) },
  );
  await expect(page.locator('#import-status')).toHaveText('Imported dropped-merged.json (2 runs).');
  await expectBothRuns();

  // An invalid merged file (its second run is broken) is refused whole; what was shown stays.
  const bad = mergedFixture();
  (bad.runs[1] as unknown as Record<string, unknown>).scenarios = [{ id: XSS_TITLE }];
  await page.locator('#import-file').setInputFiles({
    name: 'bad-merged.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(bad)),
  });
  await expect(page.locator('#import-status')).toContainText(
    'bad-merged.json: not a valid merged lab file: merged.runs[1]',
  );
  await expect(page.locator('section.merged-run')).toHaveCount(2);
  await check();
});

test('the dashboard draws a merged file as one series per engine', async ({ page }) => {
  const check = guard(page);
  await page.goto('/dashboard.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'ok');
  await page
    .locator('#history-files')
    .setInputFiles([
      { name: 'merged.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(mergedFixture())) },
    ]);
  await expect(page.locator('#history-summary')).toHaveText('2 runs, 1 scenarios.');
  await expect(page.locator('#history-engines')).toHaveAttribute('data-engines', 'chromium,firefox');
  const ws = page.locator('section[data-key="ws-roundtrip [json]"]');
  await expect(ws.locator('canvas[data-chart=history-ratio]')).toHaveAttribute(
    'data-series',
    JSON.stringify(['rust/js · chromium', 'rust/js · firefox']),
  );
  // Two series of one point each: never one line through both engines.
  await expect(ws.locator('canvas[data-chart=history-ratio]')).toHaveAttribute('data-points', '2');
  await expect(ws.locator('canvas[data-chart=history-median]')).toHaveAttribute(
    'data-series',
    JSON.stringify(['js · chromium', 'rust · chromium', 'js · firefox', 'rust · firefox']),
  );
  await check();
});
