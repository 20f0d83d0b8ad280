import { expect, test } from '@playwright/test';
import { launchFirefox } from '../src/cli/drivers/firefox.ts';

/**
 * The lab page itself in Debian's Firefox ESR, driven over WebDriver BiDi (the lab's own client:
 * Playwright 1.65's Firefox needs its patched build or a newer BiDi than ESR 153 speaks): a quick
 * two-scenario run from the page's controls renders its table, verdicts and charts, in a
 * cross-origin-isolated page, and its permalink reopens the same numbers in a new tab.
 */
const SCENARIOS = ['ws-roundtrip', 'publish-ack-latency'];

test('the lab page in Firefox: a quick two-scenario run renders results, and its permalink the same table', async ({
  baseURL,
}) => {
  test.setTimeout(240_000);
  const ff = await launchFirefox();
  try {
    await ff.open(`${baseURL}/`, () => undefined);
    const read = <T>(expression: string) => ff.evaluate<T>(expression).catch(() => undefined);
    await expect.poll(() => read<string>('document.body?.dataset.ready'), { timeout: 30_000 }).toBe('ok');
    expect(await ff.evaluate<boolean>('self.crossOriginIsolated')).toBe(true);
    expect(await ff.evaluate<string>('navigator.userAgent')).toMatch(/Firefox\//);

    // The page's own controls: two scenarios, quick mode, a short budget, then Run.
    const arms = await ff.evaluate<string[]>(`(() => {
      const want = ${JSON.stringify(SCENARIOS)};
      for (const box of document.querySelectorAll('input[name=scenario]')) {
        box.checked = want.includes(box.value);
        box.dispatchEvent(new Event('change', { bubbles: true }));
      }
      document.querySelector('input[name=mode][value=quick]').click();
      const budget = document.querySelector('#budget');
      budget.value = '40';
      budget.dispatchEvent(new Event('input', { bubbles: true }));
      budget.dispatchEvent(new Event('change', { bubbles: true }));
      const arms = [...document.querySelectorAll('input[name=arm]:checked')].map((e) => e.value);
      [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Run').click();
      return arms;
    })()`);
    expect(arms.length).toBeGreaterThanOrEqual(2);
    await expect
      .poll(() => read<string>('document.body.dataset.run'), { timeout: 200_000, intervals: [1000] })
      .toBe('done');

    const rendered = await ff.evaluate<{ rows: string[]; statuses: string[]; verdicts: string[]; charts: number[] }>(`({
      rows: [...document.querySelectorAll('#results-table tbody tr')].map((r) => r.dataset.scenario),
      statuses: [...document.querySelectorAll('#results-table tbody tr')].map((r) => r.dataset.status),
      // The verdict badge itself: a worse-tail flag (div.tail) may sit beside it in the same cell.
      verdicts: [...document.querySelectorAll('#results-table td.verdict > .badge')].map((b) => b.textContent.trim()),
      charts: [...document.querySelectorAll('canvas[data-chart=median]')].map((c) => Number(c.dataset.points)),
    })`);
    expect(rendered.rows).toEqual(SCENARIOS);
    expect(rendered.statuses).toEqual(['ok', 'ok']);
    expect(rendered.verdicts).toHaveLength(SCENARIOS.length);
    for (const v of rendered.verdicts) expect(v).toMatch(/^(faster|slower|equivalent|unsure)$/);
    expect(rendered.charts).toHaveLength(SCENARIOS.length);
    for (const points of rendered.charts) expect(points).toBeGreaterThan(0);

    // Share: Firefox compresses the permalink (CompressionStream deflate-raw) and reopens it read-only.
    const table = await ff.evaluate<string>("document.querySelector('#results-table tbody').textContent");
    const url = await ff.evaluate<string>(`(async () => {
      [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Share permalink').click();
      for (let i = 0; i < 100 && !document.querySelector('#share-url')?.value; i++) await new Promise((r) => setTimeout(r, 100));
      return document.querySelector('#share-url').value;
    })()`);
    expect(url).toMatch(/#r1\.[A-Za-z0-9_-]+$/);
    await ff.open(url, () => undefined);
    await expect
      .poll(() => read<number>("document.querySelectorAll('#results-table tbody tr').length"), { timeout: 30_000 })
      .toBe(SCENARIOS.length);
    expect(await ff.evaluate<string>("document.querySelector('#results-table tbody').textContent")).toBe(table);
  } finally {
    await ff.close();
  }
});
