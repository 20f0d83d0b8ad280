import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { type LabResultsV1, validateResults } from '../src/lab/results.ts';

/**
 * The lab page, end to end against the preview server (vite.config.ts starts the local Ably
 * server behind the same origin): a quick run by keyboard/click, verdicts and charts, Share →
 * the same numbers in a new page, exports, and the key never leaving memory.
 */
const SCENARIOS = ['ws-roundtrip', 'publish-ack-latency'];
const VERDICTS = /^(faster|slower|equivalent|unsure)$/;

test('a quick run from the page: table, verdicts, charts; Share reopens the same numbers; the key stays out of URL, exports and storage', async ({
  page,
  context,
  request,
}, testInfo) => {
  test.setTimeout(180_000);
  const key = ((await (await request.get('/lab/local-config')).json()) as { key: string }).key;
  expect(key).toMatch(/^labapp\.root:/);

  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'ok', { timeout: 30_000 });
  await expect(page.locator('#env-server')).toContainText('local Ably server on this origin');
  // Arms offered = availableArms(); choose the scenarios.
  await page
    .locator('input[name=scenario]:checked')
    .evaluateAll((els) => els.forEach((e) => ((e as HTMLInputElement).checked = false)));
  for (const id of SCENARIOS)
    await page
      .getByRole('checkbox', {
        name: new RegExp(`^ ?${id === 'ws-roundtrip' ? 'WebSocket round trip' : 'Publish → ACK latency'}`),
      })
      .check();
  await page.locator('input[name=mode][value=quick]').check();
  await page.locator('#budget').fill('40');
  const arms = await page
    .locator('input[name=arm]:checked')
    .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(arms.length).toBeGreaterThanOrEqual(2);

  // Run is a labelled, keyboard-operable button.
  await page.getByRole('button', { name: 'Run', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#overall-progress')).toBeVisible();
  await expect(page.locator('canvas[data-chart=live-rounds]')).toHaveCount(1);
  // Per-arm samples plotted live as rounds arrive (the engine's round progress carries them).
  await expect(page.locator('canvas[data-chart=live-samples]')).toHaveCount(1, { timeout: 60_000 });
  await expect(page.locator('body')).toHaveAttribute('data-run', 'done', { timeout: 150_000 });
  await expect(page.locator('#scenario-states li[data-state=done]')).toHaveCount(SCENARIOS.length);
  // A finished scenario keeps its verdicts, each naming its pair; the live chart says its unit.
  for (const li of await page.locator('#scenario-states li').all())
    await expect(li).toContainText(/ \d+ rounds? · \w+ vs \w+ (faster|slower|equivalent|unsure)/);
  await expect(page.locator('#scenario-states')).not.toContainText(/\b1 rounds\b/);
  await expect(page.locator('canvas[data-chart=live-samples]')).toHaveAttribute('data-unit', 'ms');

  const rows = page.locator('#results-table tbody tr');
  await expect(rows).toHaveCount(SCENARIOS.length);
  for (const id of SCENARIOS)
    await expect(page.locator(`#results-table tr[data-scenario="${id}"]`)).toHaveAttribute('data-status', 'ok');
  // One headline verdict per scenario (rust vs js), the other pairs as details beside it.
  const verdicts = await page.locator('#results-table td.verdict > .badge').allTextContents();
  const others = await page.locator('#results-table td.pairs .badge').allTextContents();
  const pairs = [
    ['js', 'rust'],
    ['raw', 'rust'],
    ['raw', 'js'],
  ].filter((pr) => pr.every((a) => arms.includes(a))).length;
  expect(verdicts.length).toBe(SCENARIOS.length);
  expect(others.length).toBe(SCENARIOS.length * (pairs - 1));
  for (const v of [...verdicts, ...others]) expect(v).toMatch(VERDICTS);
  await expect(page.locator('#results-headline')).toHaveText(/^\w+ vs \w+: .*\d+ (faster|slower|equivalent|unsure)/);
  // Charts: a median chart per scenario, latency percentiles and the ratio chart, each with data.
  await expect(page.locator('canvas[data-chart=median]')).toHaveCount(SCENARIOS.length);
  for (const kind of ['median', 'latency', 'ratio']) {
    const points = await page
      .locator(`canvas[data-chart=${kind}]`)
      .evaluateAll((els) => els.map((e) => Number((e as HTMLCanvasElement).dataset.points)));
    expect(points.length, kind).toBeGreaterThan(0);
    for (const p of points) expect(p, kind).toBeGreaterThan(0);
  }
  const box = await page.locator('canvas[data-chart=ratio]').boundingBox();
  expect(box!.width).toBeGreaterThan(100);
  await expect(page.locator('#claims')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('finished-run.png'), fullPage: true });
  await testInfo.attach('finished-run', { path: testInfo.outputPath('finished-run.png'), contentType: 'image/png' });

  const table = async (p: typeof page) => p.locator('#results-table tbody').textContent();
  const original = await table(page);

  // Exports: JSON is valid schema v1, CSV has a row per scenario × arm; neither holds the key.
  const [jsonDl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const json = readFileSync((await jsonDl.path())!, 'utf8');
  expect(json).not.toContain(key);
  expect(json).not.toContain(key.split(':')[1]!);
  const exported = JSON.parse(json);
  expect(validateResults(exported).ok).toBe(true);
  expect(exported.scenarios.map((s: { id: string }) => s.id)).toEqual(SCENARIOS);
  const [csvDl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const csv = readFileSync((await csvDl.path())!, 'utf8');
  expect(csv).not.toContain(key.split(':')[1]!);
  // Long format: a row per arm and comparison it is the candidate of, so every comparison is there.
  const csvRows = (exported as LabResultsV1).scenarios.reduce(
    (n, s) =>
      n + s.arms.reduce((m, a) => m + Math.max(1, s.comparisons.filter((c) => c.candidate === a.arm).length), 0),
    0,
  );
  expect(csv.trim().split('\r\n')).toHaveLength(1 + csvRows);
  const comparisons = (exported as LabResultsV1).scenarios.flatMap((s) => s.comparisons).length;
  expect(
    csv
      .trim()
      .split('\r\n')
      .filter((l) => /,(faster|slower|equivalent|unsure),/.test(l)),
  ).toHaveLength(comparisons);

  // Share → a new page shows the same numbers, read-only.
  await page.getByRole('button', { name: 'Share permalink' }).click();
  const url = await page.locator('#share-url').inputValue();
  expect(url).toMatch(/#r1\.[A-Za-z0-9_-]+$/);
  expect(url).not.toContain(key.split(':')[1]!);
  expect(page.url()).not.toContain(key.split(':')[1]!);
  testInfo.annotations.push({ type: 'permalink-bytes', description: String(url.length) });
  console.log(`permalink for a quick run of ${SCENARIOS.length} scenarios × ${arms.length} arms: ${url.length} bytes`);
  const storage = await page.evaluate(
    () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
  );
  expect(storage).toContain('ably-lab.setup'); // preferences are stored…
  expect(storage).not.toContain(key.split(':')[1]!); // …without the key

  const shared = await context.newPage();
  await shared.goto(url);
  await expect(shared.locator('#results-table tbody tr')).toHaveCount(SCENARIOS.length);
  expect(await table(shared)).toBe(original);
  await expect(shared.locator('#shared-banner')).toBeVisible();
  await expect(shared.locator('#setup')).toBeHidden();
  await expect(shared.locator('canvas[data-chart=median]')).toHaveCount(SCENARIOS.length);
  // "Run this yourself": setup comes back pre-filled with the shared run's scenarios.
  await shared.getByRole('button', { name: 'Run this yourself' }).click();
  await expect(shared.locator('#setup')).toBeVisible();
  const checked = await shared
    .locator('input[name=scenario]:checked')
    .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(checked.sort()).toEqual([...SCENARIOS].sort());
  expect(shared.url()).not.toContain('#r1.');
});

test('Stop ends a run early and still shows what was measured', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'ok', { timeout: 30_000 });
  await page
    .locator('input[name=scenario]:checked')
    .evaluateAll((els) => els.forEach((e) => ((e as HTMLInputElement).checked = false)));
  await page.locator('input[name=scenario][value=ws-roundtrip]').check();
  await page.locator('input[name=scenario][value=publish-ack-latency]').check();
  await page.locator('input[name=mode][value=full]').check();
  await expect(page.locator('#budget')).toHaveValue('900');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('#scenario-states li[data-key="ws-roundtrip [json]"]')).toContainText(/\d+ rounds/, {
    timeout: 30_000,
  });
  await expect(page.locator('#eta')).toContainText('ETA');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-run', 'done', { timeout: 60_000 });
  await expect(page.locator('#results-source')).toContainText('stopped early');
  await expect(page.locator('#results-table tr[data-scenario=ws-roundtrip] td.flags')).toContainText('stopped');
  // The second scenario never started.
  await expect(page.locator('#results-table tr[data-scenario=publish-ack-latency]')).toHaveCount(0);
});

test('the local key is served only to loopback same-origin callers', async ({ request }) => {
  expect((await request.get('/lab/local-config')).status()).toBe(200);
  expect((await request.get('/lab/local-config', { headers: { 'sec-fetch-site': 'cross-site' } })).status()).toBe(403);
  expect((await request.get('/lab/local-config', { headers: { host: 'evil.example:4179' } })).status()).toBe(403);
  // Ably REST goes through the same origin to the local server.
  const time = await request.get('/time');
  expect(time.ok()).toBe(true);
  expect(Array.isArray(await time.json())).toBe(true);
});
