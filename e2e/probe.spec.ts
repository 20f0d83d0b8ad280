import { expect, test } from '@playwright/test';

interface ProbeSummary {
  page: { crossOriginIsolated: boolean; timerGranularityUs: number };
  workers: {
    sdk: string;
    sdkVersion: string;
    scriptUrl: string;
    crossOriginIsolated: boolean;
    timerGranularityUs: number;
  }[];
  errors: string[];
}

test('both SDK workers start cross-origin isolated with a fine timer', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', /ok|error/, { timeout: 30_000 });
  const probe = (await page.evaluate(() => (globalThis as unknown as { __probe: unknown }).__probe)) as ProbeSummary;

  expect(probe.errors).toEqual([]);
  expect(probe.page.crossOriginIsolated).toBe(true);
  expect(probe.page.timerGranularityUs).toBeLessThanOrEqual(20);

  const bySdk = Object.fromEntries(probe.workers.map((w) => [w.sdk, w]));
  expect(Object.keys(bySdk).sort()).toEqual(['js', 'rust']);
  for (const w of probe.workers) {
    expect(w.crossOriginIsolated, `${w.sdk} isolated`).toBe(true);
    expect(w.timerGranularityUs, `${w.sdk} timer`).toBeLessThanOrEqual(20);
  }
  // Versions the loaded SDKs report themselves, from the arms' own worker scripts.
  expect(bySdk.rust!.sdkVersion).toMatch(/^ably-wasm \d+\.\d+\.\d+/);
  expect(bySdk.js!.sdkVersion).toMatch(/^ably-js 2\.\d+\.\d+/);
  expect(bySdk.rust!.scriptUrl).not.toBe(bySdk.js!.scriptUrl);

  // The table shows both rows.
  await expect(page.locator('#workers tbody tr')).toHaveCount(2);
});

test('worker scripts are served with the isolation headers', async ({ request }) => {
  const res = await request.get('/');
  expect(res.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(res.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  const html = await res.text();
  const entry = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(entry, 'built entry script').toBeTruthy();
  const js = await request.get(entry!);
  expect(js.headers()['cross-origin-embedder-policy']).toBe('require-corp');
});
