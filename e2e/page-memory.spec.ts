import { expect, test } from '@playwright/test';
import { validateResults, type LabResultsV1 } from '../src/lab/results.ts';

/**
 * Memory in the lab page, where no CDP host exists: the runner falls back to
 * performance.measureUserAgentSpecificMemory() attributed to each worker's script URL, plus the
 * wasm figures the Rust SDK reports (no browser API counts linear memory). This is what people
 * who press Run see, so it must give sane, ordered numbers and say which method produced them.
 */
test('memory scenarios in the page use measureUserAgentSpecificMemory + wasm figures, and order the SDKs as the CLI does', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const key = ((await (await request.get('/lab/local-config')).json()) as { key: string }).key;
  await page.goto('/runner/runner.html');
  await page.waitForFunction(() => Boolean(window.__lab?.ready));
  const origin = new URL(page.url());
  const config = {
    endpoint: { kind: 'local', host: origin.hostname, port: Number(origin.port), tls: false },
    key,
    quick: true,
    budgetS: 60,
    arms: ['rust', 'js', 'raw'],
    scenarios: ['memory-idle-client', 'memory-1000-channels'],
    rounds: { warmup: 0, min: 3, max: 3 },
  };
  const r = (await page.evaluate((c) => window.__lab!.run(c as never), config)) as LabResultsV1;
  const v = validateResults(JSON.parse(JSON.stringify(r)));
  expect(v.ok ? [] : v.errors).toEqual([]);
  expect(r.environment.memoryMethod).toBe('mUASM');
  const mem = r.scenarios.find((s) => s.id === 'memory-1000-channels')!;
  expect(mem.status, mem.reason ?? '').toBe('ok');
  const byArm = Object.fromEntries(mem.arms.map((a) => [a.arm, a]));
  for (const a of mem.arms) {
    expect(a.n, a.arm).toBe(3);
    expect(a.memory!.mUASM, `${a.arm}: the cross-check figure is the page's only JS-heap reading`).not.toBeNull();
  }
  // 1000 attached channels cost ably-js kilobytes each (≈3 KB measured in Chromium 156); the raw client
  // and the Rust SDK's JS side far less. The Rust SDK's channels live in wasm memory, which the
  // page reads from the SDK itself: it must be counted, or the Rust arm would look free.
  expect(byArm.js!.median!).toBeGreaterThan(1_000_000);
  expect(byArm.raw!.median!).toBeLessThan(byArm.js!.median!);
  expect(byArm.rust!.memory!.wasmLive!, 'rust channel state in wasm').toBeGreaterThan(50_000);
  expect(byArm.rust!.median!).toBeGreaterThanOrEqual(byArm.rust!.memory!.wasmLive!);
  console.log(
    mem.arms
      .map((a) => `${a.arm}: total ${a.median} (mUASM ${a.memory!.mUASM}, wasmLive ${a.memory!.wasmLive ?? 0})`)
      .join('; '),
    `claim ${mem.claims[0]!.status} ${mem.claims[0]!.ratio}`,
  );
  const claim = mem.claims[0]!;
  expect(claim.kind).toBe('memory');
  expect(['holds', 'fails', 'unsure']).toContain(claim.status);
  expect(r.scenarios.find((s) => s.id === 'memory-idle-client')!.status).toBe('ok');
});
