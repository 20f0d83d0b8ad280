/**
 * `npm run lab`: the headless lab runner. Starts the local Ably-compatible server serving the
 * built app from the same origin (unless --endpoint), runs the lab page in Debian's headless
 * Chromium, Firefox ESR (--browser) or an attached Chromium (--browser-endpoint) (headless.ts),
 * shows progress, prints the results table and writes the outputs; with several engines, one set
 * of files each and an engine comparison at the end.
 */
import { type CorePlan, machinePlan, pinThisProcess, planNote } from './pinning';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { basename } from 'node:path';
import { startServer } from '../server/index';
import { type LabResultsV1, validateResults } from '../lab/results';
import { isMemory, progressVerdict } from '../lab/headline';
import { scenarioById } from '../lab/scenarios/index';
import { compactTable, resultsTable, TERMINAL_COLUMNS } from '../lab/summary';
import type { Verdict } from '../lab/types';
import type { Endpoint } from '../lab/types';
import { parseCli, USAGE } from './args';
import type { BrowserTarget } from './drivers/driver';
import { engineComparison, pageHost, perEngineOut } from './engines';
import { runHeadless } from './headless';
import { writeOutputs } from './outputs';
import { E2E_DIST, testHarnessPage } from './test-harness';

/** Longer permalinks are not printed (terminals and logs cut them); they are in the .permalink.txt file. */
const PRINTED_PERMALINK_MAX = 2000;

const isLocal = (h: string) => h === 'localhost' || h === '127.0.0.1' || h === '::1';

async function main(): Promise<number> {
  let opts: ReturnType<typeof parseCli>;
  try {
    opts = parseCli(process.argv.slice(2));
  } catch (e) {
    console.error(`lab: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  // scripts/lab.sh checks the arguments before it spends minutes on setup and builds.
  if (process.env.LAB_CHECK_ARGS_ONLY === '1') return 0;
  // The --test-* flags run in the test build's harness page (src/cli/test-harness.ts).
  const testPage = testHarnessPage(opts);
  const page = testPage ?? '/runner/runner.html';
  const pagePath = page.split('?')[0]!;
  // LAB_DIST: serve another build (e.g. one private to a test run while others rebuild dist/).
  const dist = process.env.LAB_DIST ?? (testPage ? E2E_DIST : 'dist');
  if (!existsSync(`${dist}${pagePath}`)) {
    console.error(
      `lab: ${dist}${pagePath} missing — build first (\`${testPage ? 'npm run build:e2e' : 'npx vite build'}\`, or run via \`npm run lab\`)`,
    );
    return 1;
  }
  // Before the server starts, so its threads inherit the CPU set. Not with a browser elsewhere:
  // then nothing here competes with it.
  const plan: CorePlan | { none: string } = !opts.pin
    ? { none: '--no-pin' }
    : opts.browserEndpoint
      ? { none: 'the browser runs elsewhere (--browser-endpoint)' }
      : machinePlan();
  // What the machine has: once pinned, this process (and the browser) see only their own CPUs.
  const machineCpus = availableParallelism();
  if (!('none' in plan)) pinThisProcess(plan);
  const server = await startServer({ port: opts.serverPort, host: opts.host, staticDir: dist });
  // --host: the address a browser elsewhere reaches the page and the local server at.
  const host = pageHost(opts.host);
  const serverUrl = `http://${host.includes(':') ? `[${host}]` : host}:${server.port}`;
  const endpoint: Endpoint = opts.endpoint
    ? { kind: 'remote', host: opts.endpoint.host, port: opts.endpoint.port, tls: !isLocal(opts.endpoint.host) }
    : { kind: 'local', host, port: server.port, tls: false };
  const key = opts.endpoint?.key ?? server.key;
  // Cross-origin variant: the same server under another host name is another origin, so every
  // REST request from the page pays CORS (ably-js's per-request \`rnd\` defeats the preflight cache).
  const pageOrigin = opts.crossOrigin ? serverUrl.replace('127.0.0.1', 'localhost') : serverUrl;
  const t0 = Date.now();
  let lastRound: { armIds: string[]; verdicts: Verdict[] } | undefined;
  let tagLength = 0;
  const budget = `budget ${opts.budgetS} s${opts.untilBudget ? ' (every scenario to its share)' : ''}`;
  console.log(
    `Ably SDK Lab — ${opts.aa ? 'A/A ' : ''}${opts.quick ? 'quick ' : ''}run, ${budget}, ` +
      `endpoint ${endpoint.kind} ${endpoint.host}:${endpoint.port}`,
  );
  console.log(`  page ${pageOrigin}${pagePath}${opts.crossOrigin ? ' (cross-origin)' : ''}`);
  console.log(`  ${planNote(plan)}`);
  if (!isLocal(host))
    console.log(
      `note: the lab needs a cross-origin-isolated page, and http://${host} is not a secure context for a browser: ` +
        `start that browser with --unsafely-treat-insecure-origin-as-secure=${serverUrl} (with a fixed --server-port), ` +
        `or forward the port to its loopback (adb reverse, ssh -R) and keep --host 127.0.0.1`,
    );
  const targets: BrowserTarget[] = opts.browserEndpoint
    ? [{ kind: 'cdp-endpoint', url: opts.browserEndpoint }]
    : opts.browsers.map((engine) => ({ kind: 'launch', engine, ...('none' in plan ? {} : { cpus: plan.browser }) }));
  const runs: LabResultsV1[] = [];
  /** One engine's run: progress, table, files; returns how many of its scenarios failed. */
  const runOne = async (target: BrowserTarget, out: string): Promise<number> => {
    const results = await runHeadless({
      browser: target,
      pageOrigin,
      page,
      config: {
        ...(opts.scenarios ? { scenarios: opts.scenarios } : {}),
        ...(opts.arms ? { arms: opts.arms } : {}),
        protocols: opts.protocols,
        quick: opts.quick,
        aa: opts.aa,
        budgetS: opts.budgetS,
        untilBudget: opts.untilBudget,
        endpoint,
        key,
      },
      onProgress: (p) => {
        // Round events carry the verdicts so far (unnamed, in comparisonPairs order) and the arm
        // ids; the done event carries none, so the last round's are the scenario's.
        if (p.phase === 'round') {
          lastRound = { armIds: Object.keys(p.values ?? {}), verdicts: p.verdicts };
          return;
        }
        const tag = `[${p.index + 1}/${p.total}] ${p.scenario}${p.protocol === 'json' ? '' : ` [${p.protocol}]`}`;
        if (p.phase === 'start') {
          lastRound = undefined;
          tagLength = tag.length + 3;
          process.stdout.write(`${tag} … `);
          return;
        }
        const meta = scenarioById(p.scenario)?.meta;
        const verdict =
          (p.status ?? 'ok') === 'ok' && lastRound && meta
            ? progressVerdict(lastRound.armIds, opts.aa, lastRound.verdicts, isMemory(meta))
            : null;
        const head = `${p.status ?? 'ok'}, ${p.measured} ${p.measured === 1 ? 'round' : 'rounds'}${verdict ? `, ${verdict}` : ''}`;
        const time = `  (elapsed ${p.elapsedS.toFixed(0)} s, ETA ${p.etaS.toFixed(0)} s)`;
        // Keep the line within a 100-column terminal: the timing goes first.
        const line = tagLength + head.length + time.length <= TERMINAL_COLUMNS ? `${head}${time}` : `${head} `;
        console.log(`${line}${p.status === 'failed' ? `\n    reason: ${p.reason}` : ''}`);
      },
      notes: [
        planNote(plan),
        `${machineCpus} CPUs on the machine; load average at the start ${loadavg()
          .map((x) => x.toFixed(2))
          .join(' ')}`,
        ...(opts.testFault
          ? [
              `TEST-ONLY fault: the server drops ${opts.testFault.discard} messages to each ${opts.testFault.scenario} subscriber ` +
                `(a wire loss the lab must catch)`,
            ]
          : []),
        ...(opts.testSlowdown
          ? [
              `TEST-ONLY slowdown: ${Object.entries(opts.testSlowdown)
                .map(([a, f]) => `${a} ×${f}`)
                .join(', ')} (busy-wait in the worker, outside the SDK; not a measurement)`,
            ]
          : []),
      ],
    });
    const v = validateResults(results);
    if (!v.ok) throw new Error(`results failed schema validation:\n  ${v.errors.join('\n  ')}`);
    runs.push(results);
    console.log(`\n${opts.verbose ? resultsTable(results) : compactTable(results)}\n`);
    const paths = await writeOutputs(results, out, opts.permalinkBase);
    const failed = results.scenarios.filter((s) => s.status === 'failed');
    // One file per line: the default output stays within 100 columns.
    console.log(
      [
        'Wrote',
        `  ${paths.json}`,
        `  ${paths.markdown} (summary) and ${basename(paths.details)} (full grid)`,
        `  ${basename(paths.smaller)}, ${basename(paths.bigger)}, ${basename(paths.permalinkFile)}`,
      ].join('\n'),
    );
    // The whole link or none: a cut link does not open. Long ones live in the file.
    console.log(
      `Permalink (opens in ${opts.permalinkBase}; --permalink-base to change)` +
        `${paths.permalink.length <= PRINTED_PERMALINK_MAX ? ':' : `, ${paths.permalink.length} characters, in:`}`,
    );
    console.log(`  ${paths.permalink.length <= PRINTED_PERMALINK_MAX ? paths.permalink : paths.permalinkFile}`);
    console.log(`Done in ${((Date.now() - t0) / 1000).toFixed(0)} s.`);
    if (failed.length) {
      console.log(
        `FAILED: ${failed.length} of ${results.scenarios.length} scenarios (the others completed; their results are above and in the files):`,
      );
      for (const s of failed) console.log(`  ${s.id} [${s.protocol}] after ${s.rounds} rounds: ${s.reason}`);
    }
    return failed.length;
  };
  try {
    let failed = 0;
    for (const target of targets) {
      if (targets.length > 1) console.log(`\n== ${target.kind === 'launch' ? target.engine : 'attached Chromium'} ==`);
      const out = targets.length > 1 && target.kind === 'launch' ? perEngineOut(opts.out, target.engine) : opts.out;
      failed += await runOne(target, out);
    }
    if (runs.length > 1) console.log(`\n${engineComparison(runs)}`);
    return failed ? 1 : 0;
  } finally {
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`lab: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
