import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

/**
 * The README's three screenshots (docs/images/), from the page as a newcomer meets it: the first
 * view, a finished quick run of the preset, and the dashboard over two runs. Run by
 * `npm run docs:screenshots` after a change to the page; never part of `npm test`.
 */
const OUT = 'docs/images';

test('README screenshots', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'ok', { timeout: 30_000 });
  await page.screenshot({ path: `${OUT}/lab-first-view.png` });

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('body')).toHaveAttribute('data-run', 'done', { timeout: 280_000 });
  const results = page.locator('#results-section');
  await results.scrollIntoViewIfNeeded();
  await results.screenshot({ path: `${OUT}/lab-results.png` });

  // The dashboard over this run and a copy dated a day earlier (two points per series).
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const latest = readFileSync((await download.path())!, 'utf8');
  const r = JSON.parse(latest) as { createdAt: string };
  const earlier = { ...r, createdAt: new Date(Date.parse(r.createdAt) - 86_400_000).toISOString() };
  await page.goto('/dashboard.html');
  await page.locator('#history-files').setInputFiles([
    { name: 'earlier.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(earlier)) },
    { name: 'latest.json', mimeType: 'application/json', buffer: Buffer.from(latest) },
  ]);
  await expect(page.locator('#history-summary')).toContainText('2 runs');
  await page.screenshot({ path: `${OUT}/lab-dashboard.png` });
});
