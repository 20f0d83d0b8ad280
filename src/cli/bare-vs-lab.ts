/**
 * Bare vs lab (docs/method.md#the-driver-must-not-distort-what-it-times): does the lab's driver distort what it times?
 * The same arm and scenario run alternately (ABBA) as a lab run (CDP session on the page, host
 * calls for CPU and memory) and as a bare run (same browser flags, same page and runner, nothing
 * attached); each pair gives lab/bare of the run medians, and the pairs give a median with a
 * 95% CI (summarisePairs). `equivalent` = the whole CI within ±5%.
 *
 *   npx tsx src/cli/bare-vs-lab.ts [--pairs 60] [--arm raw] [--scenario publish-ack-latency]
 *
 * One pair's ratio varies ±10–15% on 2 cores (every run is a new browser, worker and connection),
 * so proving ±5% takes tens of pairs: the e2e test runs a shorter version and asserts only what
 * that many pairs can show reliably.
 */
import { parseArgs } from 'node:util';
import type { LabRunConfig } from '../runner/contract';
import { median, medianCI } from '../lab/stats';
import { startServer } from '../server/index';
import type { Interval, SdkKind } from '../lab/types';
import { ENGINES, type EngineName } from './drivers/driver';
import { runBare, runHeadless } from './headless';

export const AGREEMENT = 0.05;

export interface BareVsLabResult {
  /** lab/bare per pair, in run order. */
  ratios: number[];
  ratio: number;
  ci: Interval;
  verdict: 'equivalent' | 'different' | 'unsure';
}

export interface BareVsLabOptions {
  pageOrigin: string;
  config: LabRunConfig;
  maxPairs: number;
  /** Engine of both runs (default chromium). */
  engine?: EngineName;
  onPair?(i: number, lab: number, bare: number): void;
}

/**
 * The median of the per-pair ratios with a bootstrap 95% CI. A median, not a geometric mean: a
 * load spike from outside (another process on the shared machine) can hit one run of a pair and
 * make its ratio ×1.8 (seen in a CI run), while a distortion by the driver would move every pair.
 */
export function summarisePairs(ratios: number[]): BareVsLabResult {
  const n = ratios.length;
  const ratio = n ? median(ratios) : NaN;
  const ci = n >= 2 ? medianCI(ratios) : { lo: 0, hi: Infinity };
  const lo = 1 / (1 + AGREEMENT);
  const hi = 1 + AGREEMENT;
  const verdict =
    n >= 2 && ci.lo >= lo && ci.hi <= hi ? 'equivalent' : n >= 2 && (ci.lo > hi || ci.hi < lo) ? 'different' : 'unsure';
  return { ratios, ratio, ci, verdict };
}

export async function bareVsLab(o: BareVsLabOptions): Promise<BareVsLabResult> {
  const browser = { kind: 'launch', engine: o.engine ?? 'chromium' } as const;
  await runHeadless({ pageOrigin: o.pageOrigin, config: o.config, browser }); // warms the server's JIT; discarded
  const ratios: number[] = [];
  for (let i = 0; i < o.maxPairs; i++) {
    const order = i % 2 === 0 ? (['lab', 'bare'] as const) : (['bare', 'lab'] as const);
    const got: Record<string, number> = {};
    for (const kind of order) {
      const r =
        kind === 'lab'
          ? await runHeadless({ pageOrigin: o.pageOrigin, config: o.config, browser })
          : await runBare(o.pageOrigin, o.config, browser.engine);
      const s = r.scenarios[0]!;
      if (s.status !== 'ok') throw new Error(`${kind} run failed: ${s.reason}`);
      got[kind] = s.arms[0]!.median!;
    }
    ratios.push(got.lab! / got.bare!);
    o.onPair?.(i, got.lab!, got.bare!);
  }
  return summarisePairs(ratios);
}

function engineOf(name: string): EngineName {
  if (!ENGINES.includes(name as EngineName))
    throw new Error(`unknown browser "${name}" (known: ${ENGINES.join(', ')})`);
  return name as EngineName;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pairs: { type: 'string', default: '60' },
      arm: { type: 'string', default: 'raw' },
      scenario: { type: 'string', default: 'publish-ack-latency' },
      browser: { type: 'string', default: 'chromium' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: npx tsx src/cli/bare-vs-lab.ts [--pairs 60] [--arm raw|js|rust] [--scenario id] [--browser chromium|firefox]' +
        '   (serves dist/: run `npm run build` first)',
    );
    return;
  }
  const server = await startServer({ port: 0, staticDir: process.env.LAB_DIST ?? 'dist' });
  try {
    const config: LabRunConfig = {
      endpoint: { kind: 'local', host: '127.0.0.1', port: server.port, tls: false },
      key: server.key,
      quick: true,
      budgetS: 120,
      arms: [values.arm as SdkKind],
      scenarios: [values.scenario!],
      rounds: { warmup: 2, min: 10, max: 10 },
    };
    const pairs = Number(values.pairs);
    const r = await bareVsLab({
      pageOrigin: server.url,
      config,
      maxPairs: pairs,
      engine: engineOf(values.browser!),
      onPair: (i, lab, bare) =>
        console.log(
          `pair ${i + 1}/${pairs}: lab ${lab.toPrecision(4)}  bare ${bare.toPrecision(4)}  lab/bare ${(lab / bare).toFixed(3)}`,
        ),
    });
    console.log(
      `${values.browser} ${values.arm} ${values.scenario}: lab/bare median ${r.ratio.toFixed(3)} ` +
        `[95% CI ${r.ci.lo.toFixed(3)}–${r.ci.hi.toFixed(3)}] over ${r.ratios.length} pairs ` +
        `→ ${r.verdict} (±${AGREEMENT * 100}%)`,
    );
  } finally {
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
