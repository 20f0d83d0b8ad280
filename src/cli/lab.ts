/**
 * `npm run lab`: the headless lab runner. Starts the local Ably-compatible server serving the
 * built app from the same origin (unless --endpoint), runs the lab page in Debian's headless
 * Chromium (headless.ts), shows progress, prints the results table and writes the outputs.
 */
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { basename } from 'node:path';
import { startServer } from '../server/index';
import { validateResults } from '../lab/results';
import { isMemory, progressVerdict } from '../lab/headline';
import { scenarioById } from '../lab/scenarios/index';
import { compactTable, resultsTable, TERMINAL_COLUMNS } from '../lab/summary';
import type { Verdict } from '../lab/types';
import type { Endpoint } from '../lab/types';
import { parseCli, USAGE } from './args';
import { runHeadless } from './headless';
import { writeOutputs } from './outputs';

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
  // LAB_DIST: serve another build (e.g. one private to a test run while others rebuild dist/).
  const dist = process.env.LAB_DIST ?? 'dist';
  if (!existsSync(`${dist}/runner/runner.html`)) {
    console.error(
      `lab: ${dist}/runner/runner.html missing — build first (\`npx vite build\`, or run via \`npm run lab\`)`,
    );
    return 1;
  }
  const server = await startServer({ port: 0, host: '127.0.0.1', staticDir: dist });
  const endpoint: Endpoint = opts.endpoint
    ? { kind: 'remote', host: opts.endpoint.host, port: opts.endpoint.port, tls: !isLocal(opts.endpoint.host) }
    : { kind: 'local', host: '127.0.0.1', port: server.port, tls: false };
  const key = opts.endpoint?.key ?? server.key;
  // Cross-origin variant: the same server under another host name is another origin, so every
  // REST request from the page pays CORS (ably-js's per-request \`rnd\` defeats the preflight cache).
  const pageOrigin = opts.crossOrigin ? server.url.replace('127.0.0.1', 'localhost') : server.url;
  const t0 = Date.now();
  let lastRound: { armIds: string[]; verdicts: Verdict[] } | undefined;
  let tagLength = 0;
  console.log(
    `Ably SDK Lab — ${opts.aa ? 'A/A ' : ''}${opts.quick ? 'quick ' : ''}run, budget ${opts.budgetS} s, endpoint ${endpoint.kind} ${endpoint.host}:${endpoint.port}${opts.crossOrigin ? `, page ${pageOrigin} (cross-origin)` : ''}`,
  );
  try {
    const results = await runHeadless({
      pageOrigin,
      config: {
        ...(opts.scenarios ? { scenarios: opts.scenarios } : {}),
        ...(opts.arms ? { arms: opts.arms } : {}),
        protocols: opts.protocols,
        quick: opts.quick,
        aa: opts.aa,
        budgetS: opts.budgetS,
        endpoint,
        key,
        ...(opts.testSlowdown ? { testSlowdown: opts.testSlowdown } : {}),
        ...(opts.testFault ? { fault: opts.testFault } : {}),
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
        `${availableParallelism()} CPUs; load average at the start ${loadavg()
          .map((x) => x.toFixed(2))
          .join(' ')}`,
        ...(opts.testFault
          ? [
              `TEST-ONLY fault: the server drops ${opts.testFault.discard} messages to each ${opts.testFault.scenario} subscriber (a wire loss the lab must catch)`,
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
    console.log(`\n${opts.verbose ? resultsTable(results) : compactTable(results)}\n`);
    const paths = await writeOutputs(results, opts.out, opts.permalinkBase);
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
      `Permalink (opens in ${opts.permalinkBase}; --permalink-base to change)${paths.permalink.length <= PRINTED_PERMALINK_MAX ? ':' : `, ${paths.permalink.length} characters, in:`}`,
    );
    console.log(`  ${paths.permalink.length <= PRINTED_PERMALINK_MAX ? paths.permalink : paths.permalinkFile}`);
    console.log(`Done in ${((Date.now() - t0) / 1000).toFixed(0)} s.`);
    if (failed.length) {
      console.log(
        `FAILED: ${failed.length} of ${results.scenarios.length} scenarios (the others completed; their results are above and in the files):`,
      );
      for (const s of failed) console.log(`  ${s.id} [${s.protocol}] after ${s.rounds} rounds: ${s.reason}`);
    }
    return failed.length ? 1 : 0;
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
