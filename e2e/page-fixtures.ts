import { expect, type Page } from '@playwright/test';
import { toBase64Url } from '../src/lab/permalink.ts';
import { type LabMergedV1, mergeRuns } from '../src/lab/merged.ts';
import type { LabResultsV1 } from '../src/lab/results.ts';

/** Synthetic results for the page tests (the expected numbers are known) and guards against script from data. */
export const XSS_TITLE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

export function results(
  opts: {
    memory?: boolean;
    title?: string;
    reason?: string;
    median?: number;
    createdAt?: string;
    commit?: string;
  } = {},
): LabResultsV1 {
  const arm = (id: string, median: number) => ({
    arm: id,
    n: 6,
    median,
    medianCi: [median * 0.9, median * 1.1] as [number, number],
    mean: median,
    meanCi: [median * 0.9, median * 1.1] as [number, number],
    min: median * 0.8,
    max: median * 1.2,
    cv: 0.05,
    samples: [1, 2, 3, 4, 5, 6].map((k) => median * (0.95 + k * 0.01)),
    latency: { p50: median, p95: median * 2, p99: median * 3 },
    rate: 1000 / median,
    integrity: null,
    cpu: null,
    memory: null,
    coldStart: null,
  });
  const m = opts.median ?? 2;
  return {
    schemaVersion: 1,
    tool: 'ably-sdk-lab',
    createdAt: opts.createdAt ?? '2026-05-01T10:00:00.000Z',
    durationS: 12,
    config: {
      quick: true,
      aa: false,
      budgetS: 40,
      scenarios: ['ws-roundtrip'],
      protocols: ['json'],
      endpoint: { kind: 'local', host: '127.0.0.1', port: 1, tls: false },
      equivalenceMargin: 0.02,
      confidence: 0.95,
    },
    environment: {
      userAgent: 'ua',
      browser: 'Chromium test',
      cores: 2,
      crossOriginIsolated: true,
      timerGranularityUs: 5,
      gitCommit: opts.commit ?? null,
      gitDirty: false,
      memoryMethod: 'mUASM',
      cpuMethod: 'none',
      notes: [XSS_TITLE],
    },
    arms: [
      {
        id: 'js',
        sdk: 'js',
        workers: [
          {
            protocol: 'json',
            sdkVersion: '2.28.0',
            crossOriginIsolated: true,
            timerGranularityUs: 5,
            scriptUrl: '/a.js',
          },
        ],
      },
      {
        id: 'rust',
        sdk: 'rust',
        workers: [
          {
            protocol: 'json',
            sdkVersion: '0.1.0',
            crossOriginIsolated: true,
            timerGranularityUs: 5,
            scriptUrl: '/b.js',
          },
        ],
      },
    ],
    scenarios: [
      {
        id: 'ws-roundtrip',
        protocol: 'json',
        title: opts.title ?? 'WebSocket round trip',
        group: 'latency',
        unit: 'ms',
        better: 'lower',
        status: 'ok',
        reason: opts.reason ?? null,
        rounds: 6,
        warmupRounds: 1,
        stoppedBy: 'resolved',
        elapsedS: 3,
        arms: [arm('js', m * 2), arm('rust', m)],
        comparisons: [
          {
            candidate: 'rust',
            reference: 'js',
            ratio: 0.5,
            ci: [0.45, 0.55],
            n: 6,
            method: 't-log-ratio',
            verdict: 'faster',
          },
        ],
        claims: [
          {
            kind: 'speed',
            text: 'Rust ≥40% faster than ably-js',
            candidate: 'rust',
            reference: 'js',
            threshold: 0.6,
            ratio: 0.5,
            ci: [0.45, 0.55],
            status: 'holds',
          },
        ],
        server: { cpuFraction: 0.8, bound: true },
      },
      ...(opts.memory
        ? [
            {
              id: 'memory-idle-client',
              protocol: 'json' as const,
              title: 'Memory: idle connected client',
              group: 'memory' as const,
              unit: 'bytes',
              better: 'lower' as const,
              status: 'ok' as const,
              reason: null,
              rounds: 4,
              warmupRounds: 1,
              stoppedBy: 'max-rounds' as const,
              elapsedS: 2,
              arms: [
                {
                  ...arm('js', 400_000),
                  latency: null,
                  memory: { jsHeapUsed: 380_000, backing: 20_000, wasmLinear: 0, total: 400_000, mUASM: 400_000 },
                },
                {
                  ...arm('rust', 150_000),
                  latency: null,
                  memory: { jsHeapUsed: 20_000, backing: 0, wasmLinear: 130_000, total: 150_000, mUASM: 20_000 },
                },
              ],
              comparisons: [
                {
                  candidate: 'rust',
                  reference: 'js',
                  ratio: 0.375,
                  ci: [0.3, 0.45] as [number, number],
                  n: 4,
                  method: 't-log-ratio' as const,
                  verdict: 'faster' as const,
                },
              ],
              claims: [
                {
                  kind: 'memory' as const,
                  text: 'Rust uses ≥50% less memory than ably-js',
                  candidate: 'rust',
                  reference: 'js',
                  threshold: 0.5,
                  ratio: 0.375,
                  ci: [0.3, 0.45] as [number, number],
                  status: 'holds' as const,
                },
              ],
              server: { cpuFraction: null, bound: false },
            },
          ]
        : []),
    ],
  };
}

/** Results as the CLI records them in one engine (environment.engine, browser label). */
export function inEngine(r: LabResultsV1, name: 'chromium' | 'firefox', remote = false): LabResultsV1 {
  const version = name === 'chromium' ? '156.0.8078.108' : '153.8.0';
  return {
    ...r,
    environment: {
      ...r.environment,
      browser: `${name === 'chromium' ? 'Chromium' : 'Firefox'} ${version}`,
      engine: { name, version, protocol: name === 'chromium' ? 'cdp' : 'bidi', remote },
    },
  };
}

/** A merged file of a Chromium run (rust median 2) and a Firefox run (rust median 5), as `npm run lab:merge` writes it. */
export function mergedFixture(): LabMergedV1 {
  return mergeRuns(
    [
      {
        name: 'chromium.json',
        value: inEngine(results({ median: 2, createdAt: '2026-04-05T00:00:00.000Z' }), 'chromium'),
      },
      {
        name: 'firefox.json',
        value: inEngine(results({ median: 5, createdAt: '2026-04-05T00:10:00.000Z' }), 'firefox', true),
      },
    ],
    new Date('2026-04-05T01:00:00.000Z'),
  );
}

export async function deflate(text: string): Promise<string> {
  const s = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return toBase64Url(new Uint8Array(await new Response(s).arrayBuffer()));
}

/** Fails the test on any dialog or script from data; returns a checker for `__pwned`. */
export function guard(page: Page): () => Promise<void> {
  page.on('dialog', (d) => {
    throw new Error(`unexpected dialog: ${d.message()}`);
  });
  return async () => {
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main img, #link-error *, #results script').count()).toBe(0);
  };
}
