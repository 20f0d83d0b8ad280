import { expect, test } from '@playwright/test';

interface ProbeSummary {
  page: { crossOriginIsolated: boolean; timerGranularityUs: number };
  workers: {
    sdk: string;
    sdkVersion: string;
    computed: string;
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
  expect(Object.keys(bySdk).sort()).toEqual(['ably-js', 'rust-wasm']);
  for (const w of probe.workers) {
    expect(w.crossOriginIsolated, `${w.sdk} isolated`).toBe(true);
    expect(w.timerGranularityUs, `${w.sdk} timer`).toBeLessThanOrEqual(20);
  }
  // Values the SDKs computed themselves.
  expect(bySdk['rust-wasm']!.sdkVersion).toMatch(/^\d+\.\d+\.\d+/);
  expect(JSON.parse(bySdk['rust-wasm']!.computed)).toEqual({ action: 1, msgSerial: 7, count: 2 });
  expect(bySdk['ably-js']!.sdkVersion).toMatch(/^2\.\d+\.\d+/);
  expect(JSON.parse(bySdk['ably-js']!.computed)).toEqual({ a: 1 });

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
