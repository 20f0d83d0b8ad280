import { statSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startServer, type ServerHandle } from '../src/server/index.ts';
import { validateResults, type LabResultsV1 } from '../src/lab/results.ts';
import { SCENARIOS } from '../src/lab/scenarios/index.ts';
import { bareVsLab } from '../src/cli/bare-vs-lab.ts';
import { runHeadless } from '../src/cli/headless.ts';
import { E2E_DIST, harnessPage } from '../src/cli/test-harness.ts';
import type { LabRunConfig } from '../src/runner/contract.ts';

/**
 * The lab engine end to end: the local server serving the test build (dist-e2e/: dist/ plus the
 * test harness page; one origin), real SDKs in Chromium workers, driven the way `npm run lab`
 * drives them (CDP, not Playwright's page). Faults come from the harness's test arms
 * (e2e/harness/test-arm.ts). Asserts behaviour and schema, not speed.
 */
let server: ServerHandle;
test.beforeAll(async () => {
  server = await startServer({ port: 0, staticDir: process.env.LAB_DIST ?? E2E_DIST });
});
test.afterAll(async () => {
  await server.close();
});

const base = (): Pick<LabRunConfig, 'endpoint' | 'key' | 'quick' | 'budgetS'> => ({
  endpoint: { kind: 'local', host: '127.0.0.1', port: server.port, tls: false },
  key: server.key,
  quick: true,
  budgetS: 60,
});

function valid(r: LabResultsV1): LabResultsV1 {
  const v = validateResults(JSON.parse(JSON.stringify(r)));
  expect(v.ok ? [] : v.errors).toEqual([]);
  return r;
}

test('every scenario yields sane numbers for every arm (rust, js, raw), integrity intact', async () => {
  test.setTimeout(240_000);
  const r = valid(
    await runHeadless({
      pageOrigin: server.url,
      config: { ...base(), arms: ['rust', 'js', 'raw'], rounds: { warmup: 0, min: 2, max: 2 } },
    }),
  );
  expect(r.scenarios.map((s) => s.id)).toEqual(SCENARIOS.map((s) => s.meta.id));
  expect(r.environment.crossOriginIsolated).toBe(true);
  expect(r.environment.memoryMethod).toBe('cdp');
  for (const s of r.scenarios) {
    if (SCENARIOS.find((x) => x.meta.id === s.id)!.meta.notApplicable) {
      expect(s.status, s.id).toBe('skipped');
      continue;
    }
    expect({ id: s.id, status: s.status, reason: s.reason }).toEqual({ id: s.id, status: 'ok', reason: null });
    expect(s.arms.map((a) => a.arm)).toEqual(['rust', 'js', 'raw']);
    for (const a of s.arms) {
      expect(a.n, `${s.id} ${a.arm}`).toBe(2);
      if (s.unit === 'bytes') {
        // Memory deltas: something was allocated, less than 64 MiB. The raw client retains almost
        // nothing (~600 B idle, ~14 KiB after 10k messages), within what a forced GC leaves
        // behind on a busy machine, so with 2 samples its delta can come out negative (−436 B
        // idle and −57 KB after 10k messages seen under load); the SDKs' deltas are well above.
        const floor = a.arm === 'raw' ? -128 * 1024 : 0;
        expect(a.median!, `${s.id} ${a.arm}`).toBeGreaterThan(floor);
        expect(a.median!).toBeLessThan(64 * 1024 * 1024);
      } else {
        expect(a.median!, `${s.id} ${a.arm}`).toBeGreaterThan(0);
        if (s.unit === 'ms') expect(a.median!, `${s.id} ${a.arm}`).toBeLessThan(5000);
      }
      if (a.integrity)
        expect(a.integrity, `${s.id} ${a.arm}`).toMatchObject({ lost: 0, duplicated: 0, reordered: 0, ok: true });
    }
    expect(s.comparisons.map((c) => `${c.candidate}/${c.reference}`)).toEqual(['rust/js', 'rust/raw', 'js/raw']);
    expect(s.claims).toHaveLength(1);
  }
  const pub = r.scenarios.find((s) => s.id === 'publish-throughput')!;
  for (const a of pub.arms) expect(a.cpu?.workerUsPerMsg, `worker CPU of ${a.arm}`).toBeGreaterThan(0);
  const cold = r.scenarios.find((s) => s.id === 'cold-start')!;
  for (const a of cold.arms) expect(a.coldStart!.bundleGzipBytes).toBeGreaterThan(1000);
  // The bundle is what a cold start fetches, not what the arm's long-lived worker has loaded by
  // then: the REST scenarios ran first, and the Rust SDK's REST module must not be counted.
  const wasmBytes = (m: string) => statSync(new URL(`../rust-wasm/pkg/${m}/ably_${m}_bg.wasm`, import.meta.url)).size;
  const rustBundle = cold.arms.find((a) => a.arm === 'rust')!.coldStart!.bundleBytes;
  expect(rustBundle).toBeGreaterThan(wasmBytes('realtime'));
  expect(rustBundle).toBeLessThan(wasmBytes('realtime') + wasmBytes('rest'));
  expect(
    r.scenarios.find((s) => s.id === 'memory-1000-channels')!.arms.find((a) => a.arm === 'js')!.median!,
  ).toBeGreaterThan(1_000_000);
});

test('a lost or duplicated message fails that scenario, not the run', async () => {
  test.setTimeout(120_000);
  const cfg = { ...base(), arms: ['js', 'raw'] as const, rounds: { warmup: 0, min: 2, max: 2 } };
  // A loss on the wire: the server drops one MESSAGE frame to the subscriber (discard-next hook);
  // the server's blast is the publisher. The SDK cannot notice; the lab's sequence check must.
  const lost = valid(
    await runHeadless({
      pageOrigin: server.url,
      page: harnessPage({ fault: { scenario: 'subscribe-throughput', discard: 1 } }),
      config: { ...cfg, arms: ['rust', 'js'], scenarios: ['subscribe-throughput', 'publish-ack-latency'] },
    }),
  );
  const sub = lost.scenarios.find((s) => s.id === 'subscribe-throughput')!;
  expect(sub.status).toBe('failed');
  expect(sub.reason).toMatch(/integrity violated on (rust|js): 1 lost, 0 duplicated/);
  expect(lost.scenarios.find((s) => s.id === 'publish-ack-latency')!.status).toBe('ok');
  // One lost frame of a batch loses all its messages, and is caught the same way.
  const frame = valid(
    await runHeadless({
      pageOrigin: server.url,
      page: harnessPage({ fault: { scenario: 'subscribe-throughput-batch10', discard: 1 } }),
      config: { ...cfg, arms: [...cfg.arms], scenarios: ['subscribe-throughput-batch10'] },
    }),
  );
  expect(frame.scenarios[0]!.reason).toMatch(/integrity violated on (js|raw): 10 lost, 0 duplicated/);
  // A message delivered twice (after the resume of the recovery scenario) fails it too.
  const dup = valid(
    await runHeadless({
      pageOrigin: server.url,
      page: harnessPage({ fault: { scenario: 'recovery', duplicateLast: true } }),
      config: { ...cfg, arms: [...cfg.arms], scenarios: ['recovery'] },
    }),
  );
  expect(dup.scenarios[0]!.status).toBe('failed');
  expect(dup.scenarios[0]!.reason).toMatch(/0 lost, 1 duplicated/);
});

test('a sample that receives nothing fails its scenario with the reason; the results stay valid and the next scenario runs', async () => {
  test.setTimeout(120_000);
  // The server drops every message of the sample (as a forgotten channel once did): the stream
  // has no rate at all. The scenario must fail with why, never record a non-number.
  const ops = 300;
  const r = valid(
    await runHeadless({
      pageOrigin: server.url,
      page: harnessPage({ fault: { scenario: 'subscribe-throughput', discard: ops } }),
      config: {
        ...base(),
        arms: ['rust', 'js'],
        ops,
        rounds: { warmup: 0, min: 2, max: 2 },
        scenarios: ['subscribe-throughput', 'publish-ack-latency'],
      },
    }),
  );
  const [sub, next] = r.scenarios;
  expect(sub).toMatchObject({ id: 'subscribe-throughput', status: 'failed', stoppedBy: 'failed', rounds: 0 });
  expect(sub!.reason).toMatch(new RegExp(`integrity violated on (rust|js): ${ops} lost`));
  expect(next).toMatchObject({ id: 'publish-ack-latency', status: 'ok' });
});

test('same origin by default: no CORS preflights; the cross-origin variant is labelled and pays them', async () => {
  test.setTimeout(120_000);
  const cfg: LabRunConfig = {
    ...base(),
    arms: ['rust', 'js'],
    scenarios: ['rest-publish-single-100'],
    rounds: { warmup: 0, min: 2, max: 2 },
  };
  const preflights = async () =>
    (
      (await (
        await fetch(`${server.url}/lab/metrics`, { headers: { authorization: `Basic ${btoa(server.key)}` } })
      ).json()) as { corsPreflights: number }
    ).corsPreflights;
  const p0 = await preflights();
  const same = valid(await runHeadless({ pageOrigin: server.url, config: cfg }));
  const p1 = await preflights();
  // Another host name for the same server is another origin (what `npm run lab -- --cross-origin` does).
  const cross = valid(await runHeadless({ pageOrigin: server.url.replace('127.0.0.1', 'localhost'), config: cfg }));
  const p2 = await preflights();
  expect(same.config.crossOrigin).toBe(false);
  expect(p1 - p0, 'preflights in a same-origin run').toBe(0);
  expect(cross.config.crossOrigin).toBe(true);
  expect(cross.scenarios[0]!.status, cross.scenarios[0]!.reason ?? '').toBe('ok');
  expect(cross.environment.crossOriginIsolated).toBe(true);
  expect(p2 - p1, 'preflights in the cross-origin run').toBeGreaterThan(0);
});

test('A/A: two copies of one arm run as two workers with distinct script URLs, paired, with repeated CIs; their memory is equivalent', async () => {
  test.setTimeout(240_000);
  // Behaviour only. Whether the latency of js and js' comes out `equivalent`/`unsure` is a timing
  // figure: on 2 shared cores a run now and then lands outside (a CI run said js'/js 0.922
  // [0.853–0.997], `faster`), which is what a 95% method does 1 time in 20 per comparison, so
  // `npm run bench:aa` reports the A/A verdicts with their CIs as a benchmark (docs/method.md#aa-runs-the-noise-floor).
  // Memory is asserted: retained bytes after two forced GCs are not a timing (≈0.1% spread for
  // one SDK; a busy machine changes when the client runs, not what 1000 attached channels hold),
  // and a harness that mixed up the two workers' memory would break `equivalent`.
  const r = valid(
    await runHeadless({
      pageOrigin: server.url,
      config: {
        ...base(),
        quick: false,
        budgetS: 90,
        arms: ['js'],
        aa: true,
        scenarios: ['memory-1000-channels', 'publish-ack-latency'],
        rounds: { warmup: 1, min: 6, max: 40 },
      },
    }),
  );
  expect(r.config.aa).toBe(true);
  expect(r.arms.map((a) => a.id)).toEqual(['js', "js'"]);
  expect(r.arms[0]!.workers[0]!.scriptUrl).not.toBe(r.arms[1]!.workers[0]!.scriptUrl);
  const [mem, ack] = r.scenarios.map((s) => s.comparisons[0]!);
  const seen = (c: typeof mem) =>
    `A/A ratio ${c!.ratio} CI ${c!.ci.join('..')} (level ${c!.level}) n ${c!.n} verdict ${c!.verdict}`;
  console.log(`memory-1000-channels: ${seen(mem)}\npublish-ack-latency: ${seen(ack)}`);
  for (const [s, c] of r.scenarios.map((x) => [x, x.comparisons[0]!] as const)) {
    expect(s.status, s.reason ?? '').toBe('ok');
    expect(s.comparisons.map((x) => `${x.candidate}/${x.reference}`)).toEqual(["js'/js"]);
    // Paired: one value per arm per round, as many rounds as the comparison counts.
    expect(s.arms.map((a) => a.n)).toEqual([c.n, c.n]);
    expect(c.n, seen(c)).toBeGreaterThanOrEqual(6);
    expect(c.method).toBe('t-log-ratio');
    // Auto-sampling looked after every round: the intervals are repeated CIs, wider than 95%.
    expect(c.level!, seen(c)).toBeGreaterThan(0.98);
    expect(c.ci[0]!, seen(c)).toBeLessThanOrEqual(c.ratio!);
    expect(c.ci[1]!, seen(c)).toBeGreaterThanOrEqual(c.ratio!);
    expect(['equivalent', 'unsure', 'faster', 'slower']).toContain(c.verdict);
  }
  expect(mem!.verdict, seen(mem)).toBe('equivalent');
});

test('bare vs lab: the comparison of the lab driver with a bare page runs and reports pairs with their spread', async () => {
  test.setTimeout(300_000);
  // Both runs launch the same Chromium with the same flags and run the same page and runner; the
  // bare one has nothing attached. How far lab and bare agree is a measurement, not a test
  // assertion: `npx tsx src/cli/bare-vs-lab.ts --pairs 60` reports it with its CI and a verdict
  // (docs/method.md#the-driver-must-not-distort-what-it-times). A threshold here failed clean runs
  // whenever the machine was busier, or quieter, than when it was chosen. This test only holds
  // that the tool works: paired ratios, a median inside its interval, a verdict.
  const cfg: LabRunConfig = {
    ...base(),
    arms: ['raw'],
    scenarios: ['publish-ack-latency'],
    rounds: { warmup: 1, min: 4, max: 4 },
  };
  const r = await bareVsLab({ pageOrigin: server.url, config: cfg, maxPairs: 4 });
  console.log(
    `lab/bare per-pair ratios ${r.ratios.map((x) => x.toFixed(3)).join(', ')}; ` +
      `median ${r.ratio.toFixed(3)} [95% CI ${r.ci.lo.toFixed(3)}–${r.ci.hi.toFixed(3)}] → ${r.verdict}`,
  );
  expect(r.ratios).toHaveLength(4);
  for (const x of r.ratios) expect(Number.isFinite(x) && x > 0).toBe(true);
  expect(r.ci.lo).toBeLessThanOrEqual(r.ratio);
  expect(r.ci.hi).toBeGreaterThanOrEqual(r.ratio);
  expect(['equivalent', 'different', 'unsure']).toContain(r.verdict);
});
