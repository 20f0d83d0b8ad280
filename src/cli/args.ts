/** Command-line options of `npm run lab` (parsed with node:util parseArgs, validated with readable errors). */
import { parseArgs } from 'node:util';
import { FULL_BUDGET_S, QUICK_BUDGET_S } from '../lab/defaults';
import { SCENARIOS } from '../lab/scenarios/index';
import { PROTOCOLS, type Protocol, SDK_KINDS, type SdkKind } from '../lab/types';
import { ENGINES, type EngineName } from './drivers/driver';
import { parseSlowdown } from './test-harness';

/** Where permalinks open when no base is given: the dev page of `npm start` (the CLI's own server is gone after the run). */
export const DEFAULT_PERMALINK_BASE = 'http://localhost:5173/';

/** A permalink base: an http(s) URL without a hash, ending in `/` or a page path. */
export function parsePermalinkBase(v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`--permalink-base must be an http(s) URL, got "${v.slice(0, 80)}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new Error(`--permalink-base must be an http(s) URL, got "${v.slice(0, 80)}"`);
  if (u.hash) throw new Error('--permalink-base must not carry a #hash (the results go there)');
  return u.href;
}

export const USAGE = `Usage: npm run lab -- [options]

  --quick                 every scenario with a small budget (≤ 3 min on 2 cores)
  --scenarios a,b         scenario ids (default: all): ${SCENARIOS.map((s) => s.meta.id).join(', ')}
  --arms rust,js,raw      arms to compare (default: every arm available in this build)
  --protocol json,msgpack protocols (default: json)
  --budget SECONDS        time budget for sampling (default ${FULL_BUDGET_S}, --quick ${QUICK_BUDGET_S})
  --until-budget          sample every scenario to its share of the budget even once its verdicts are clear: more
                          rounds and one-look 95% CIs, the size of a change and not only its direction (the gate's runs)
  --aa                    A/A: the first arm twice (noise floor: never faster/slower; "equivalent" once the CI is within ±2%)
  --out FILE              results JSON (default results/latest.json; .md, benchmark and permalink files beside it)
  --permalink-base URL    the lab page permalinks open in (default $LAB_PERMALINK_BASE, else ${DEFAULT_PERMALINK_BASE},
                          the page of \`npm start\`); e.g. a deployed copy such as the project's GitHub Pages
  --verbose               print the full grid (every arm and pair, CIs, tails, integrity, notes), not the compact table
  --endpoint HOST --port N --key K   a real Ably app instead of the local server (TLS unless localhost)
  --browser chromium,firefox   engines to run, one after the other (default chromium); two or more add an engine comparison
  --browser-endpoint URL  attach to a Chromium DevTools endpoint (ws://HOST:PORT/devtools/browser/…) instead of launching one
  --host HOST             the local server's address, as the browser must reach it (default 127.0.0.1; 0.0.0.0 = every interface)
  --server-port N         the local server's port (default: any free port), e.g. to forward it or allow its origin in a remote browser
  --no-pin                let the local server and the browser share every CPU (default: server on CPU 0, browser on the
                          others, with taskset on Linux with 2+ CPUs: steadier rounds, lower absolute throughput)
  --cross-origin          the cross-origin variant: page at http://localhost:P, local endpoint 127.0.0.1:P (CORS preflights, as against Ably's cloud)
  --test-slowdown ARM=F    TEST ONLY (the gate's e2e test): the arm's worker busy-waits (F−1)× each operation and frame; never for measurements
  --test-fault SCENARIO:discard=N   TEST ONLY: the local server drops the next N messages to that scenario's subscriber each sample, so it fails
  --help`;

export interface CliOptions {
  quick: boolean;
  scenarios: string[] | undefined;
  arms: SdkKind[] | undefined;
  protocols: Protocol[];
  budgetS: number;
  /** --until-budget: no early stop on resolved verdicts (schedule.ts `untilBudget`). */
  untilBudget: boolean;
  aa: boolean;
  out: string;
  endpoint: { host: string; port: number; key: string } | undefined;
  crossOrigin: boolean;
  /** Pin the local server and the browser to separate CPUs (pinning.ts); --no-pin turns it off. */
  pin: boolean;
  /** Engines to launch, in order (--browser). */
  browsers: EngineName[];
  /** A Chromium DevTools endpoint to attach to instead of launching (--browser-endpoint). */
  browserEndpoint: string | undefined;
  /** Address the local server listens on and the page URL uses (--host). */
  host: string;
  /** Port of the local server (--server-port; 0 = any free port). */
  serverPort: number;
  /** Test-only: SDK id → slowdown factor (src/cli/test-harness.ts). */
  testSlowdown: Record<string, number> | undefined;
  /** Test-only: a wire loss injected into one scenario (through the server's discard-next hook). */
  testFault: { scenario: string; discard: number } | undefined;
  /** The page permalinks open in (ends the URL before its `#`). */
  permalinkBase: string;
  /** Print the full results grid instead of the compact ≤ 100-column table. */
  verbose: boolean;
  help: boolean;
}

/** Edit distance (Levenshtein), for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The known value closest to a typo, if it is close enough to be what was meant. */
export function nearest(x: string, allowed: readonly string[]): string | undefined {
  const best = allowed.map((a) => [a, distance(x, a)] as const).sort((p, q) => p[1] - q[1])[0];
  return best && best[1] <= Math.max(2, Math.floor(best[0].length / 3)) ? best[0] : undefined;
}

function list<T extends string>(v: string | undefined, allowed: readonly T[], what: string): T[] | undefined {
  if (v === undefined) return undefined;
  const xs = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  for (const x of xs)
    if (!allowed.includes(x as T)) {
      const near = nearest(x, allowed);
      throw new Error(
        `unknown ${what} "${x}"${near ? ` — did you mean "${near}"?` : ''} (known: ${allowed.join(', ')})`,
      );
    }
  return xs as T[];
}

/** `SCENARIO:discard=N` (N ≥ 1): the only fault the CLI injects, a loss on the wire. */
function parseFault(v: string): { scenario: string; discard: number } {
  const m = /^([a-z0-9-]+):discard=(\d+)$/.exec(v);
  if (!m) throw new Error(`--test-fault must be SCENARIO:discard=N, got "${v}"`);
  const [, scenario, n] = m;
  if (!SCENARIOS.some((s) => s.meta.id === scenario)) throw new Error(`unknown scenario "${scenario}" in --test-fault`);
  if (Number(n) < 1) throw new Error('--test-fault discard must be at least 1');
  return { scenario: scenario!, discard: Number(n) };
}

export function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    allowNegative: true, // --no-pin
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      scenarios: { type: 'string' },
      arms: { type: 'string' },
      protocol: { type: 'string' },
      budget: { type: 'string' },
      'until-budget': { type: 'boolean', default: false },
      aa: { type: 'boolean', default: false },
      out: { type: 'string', default: 'results/latest.json' },
      endpoint: { type: 'string' },
      port: { type: 'string' },
      key: { type: 'string' },
      'test-slowdown': { type: 'string' },
      'test-fault': { type: 'string' },
      'cross-origin': { type: 'boolean', default: false },
      pin: { type: 'boolean', default: true },
      browser: { type: 'string' },
      'browser-endpoint': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'server-port': { type: 'string', default: '0' },
      verbose: { type: 'boolean', default: false },
      'permalink-base': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const budgetS = values.budget !== undefined ? Number(values.budget) : values.quick ? QUICK_BUDGET_S : FULL_BUDGET_S;
  if (!(budgetS > 0)) throw new Error(`--budget must be a positive number of seconds, got ${values.budget}`);
  let endpoint: CliOptions['endpoint'];
  if (values.endpoint !== undefined) {
    const port = Number(values.port ?? 443);
    if (!Number.isInteger(port) || port <= 0 || port > 65535)
      throw new Error(`--port must be 1..65535, got ${values.port}`);
    if (!values.key) throw new Error('--endpoint needs --key (appId.keyId:secret)');
    endpoint = { host: values.endpoint, port, key: values.key };
  } else if (values.port !== undefined || values.key !== undefined) throw new Error('--port/--key go with --endpoint');
  const browsers = list(values.browser, ENGINES, 'browser') ?? ['chromium'];
  if (!browsers.length) throw new Error('--browser needs at least one engine (chromium, firefox)');
  const browserEndpoint = values['browser-endpoint'];
  if (browserEndpoint !== undefined) {
    if (!/^(ws|http)s?:\/\/[^/]+/.test(browserEndpoint))
      throw new Error(`--browser-endpoint must be a ws:// or http:// DevTools URL, got "${browserEndpoint}"`);
    if (values.browser !== undefined && values.browser !== 'chromium')
      throw new Error('--browser-endpoint attaches to one Chromium; it cannot go with --browser firefox');
  }
  const serverPort = Number(values['server-port']);
  if (!Number.isInteger(serverPort) || serverPort < 0 || serverPort > 65535)
    throw new Error(`--server-port must be 0..65535, got ${values['server-port']}`);
  return {
    quick: values.quick!,
    scenarios: list(
      values.scenarios,
      SCENARIOS.map((s) => s.meta.id),
      'scenario',
    ),
    arms: list(values.arms, SDK_KINDS, 'arm'),
    protocols: list(values.protocol, PROTOCOLS, 'protocol') ?? ['json'],
    budgetS,
    untilBudget: values['until-budget']!,
    aa: values.aa!,
    out: values.out!,
    endpoint,
    crossOrigin: values['cross-origin']!,
    pin: values.pin!,
    browsers,
    browserEndpoint,
    host: values.host!,
    serverPort,
    testSlowdown: values['test-slowdown'] !== undefined ? parseSlowdown(values['test-slowdown']) : undefined,
    testFault: values['test-fault'] !== undefined ? parseFault(values['test-fault']) : undefined,
    verbose: values.verbose!,
    permalinkBase: parsePermalinkBase(
      values['permalink-base'] ?? (process.env.LAB_PERMALINK_BASE || DEFAULT_PERMALINK_BASE),
    ),
    help: values.help!,
  };
}
