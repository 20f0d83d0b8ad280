/**
 * `npm run bench:check` / `npm run bench:baseline`: the benchmark regression gate.
 *
 *   npm run bench:check                               runs the quick lab, compares with bench/baseline.json
 *   npm run bench:check -- --results r.json           compares a results file instead
 *   npm run bench:check -- --threshold 105% -- --scenarios connect,attach   (after `--`: lab options)
 *   npm run bench:baseline                            runs the quick lab, writes bench/baseline.json
 *
 * Exit code: 0 passed, 1 regression or failed scenario, 2 bad input (usage, missing baseline,
 * results schema version mismatch).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatBaseline, GateInputError, makeBaseline, parseBaseline, parseResults } from './baseline';
import { compare, confirmWith, DEFAULT_GATE_OPTIONS, regressedScenarios } from './compare';
import { benchmarkFiles, markdownReport, textReport } from './report';

export const GATE_USAGE = `Usage: npm run bench:check -- [options] [-- lab options]
       npm run bench:baseline -- [--results FILE] [--baseline FILE] [-- lab options]

  --results FILE         lab results to check (default: run the quick lab now)
  --baseline FILE        the baseline (default bench/baseline.json)
  --threshold P          limit for same-run ratios, e.g. 110% or 1.1 (default 110%)
  --abs-threshold P      limit for absolute figures (default 300%)
  --fail-on-missing      a baseline metric missing from this run fails the gate (default: reported)
  --out-dir DIR          where gate.{txt,md,json} and gate.benchmark-{smaller,bigger}.json go (default results/gate)
  --confirm-runs N       when the gate runs the lab and a metric regresses, re-run those scenarios N times;
                         the regression stands only if every re-run reproduces it (default 1; 0 = off)
  --write-baseline       write the baseline from this run instead of checking (npm run bench:baseline)
  --allow-failed         with --write-baseline: accept a run with failed scenarios (their metrics are left out)
  -- ...                 options for the lab run (default: --quick --until-budget), e.g. -- --quick --scenarios connect`;

export interface GateCliOptions {
  results: string | undefined;
  baseline: string;
  threshold: number;
  absThreshold: number;
  failOnMissing: boolean;
  confirmRuns: number;
  outDir: string;
  writeBaseline: boolean;
  allowFailed: boolean;
  labArgs: string[];
  help: boolean;
}

/** "110%" → 1.1, "1.1" → 1.1, "110" → 1.1; must be above 100%. */
export function parseThreshold(s: string, name: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(s);
  if (!m) throw new GateInputError(`${name}: expected a percentage like 110% or a factor like 1.1, got "${s}"`);
  let v = Number(m[1]);
  if (m[2] === '%' || v >= 10) v /= 100;
  if (!(v > 1)) throw new GateInputError(`${name}: must be above 100% (got "${s}")`);
  return v;
}

/** The gate's own flags (before `--`); a parse error becomes a GateInputError. */
function parseOwnArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        results: { type: 'string' },
        baseline: { type: 'string', default: 'bench/baseline.json' },
        threshold: { type: 'string' },
        'abs-threshold': { type: 'string' },
        'fail-on-missing': { type: 'boolean', default: false },
        'confirm-runs': { type: 'string', default: '1' },
        'out-dir': { type: 'string', default: 'results/gate' },
        'write-baseline': { type: 'boolean', default: false },
        'allow-failed': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    throw new GateInputError(e instanceof Error ? e.message : String(e));
  }
}

/**
 * The lab run the gate checks (and `bench:baseline` records): quick, and sampled to the budget
 * whatever the verdicts, since the gate needs the size of every ratio's change, not only its
 * direction (docs/method.md#what-the-gate-gates).
 */
export const GATE_LAB_ARGS: readonly string[] = ['--quick', '--until-budget'];

export function parseGateCli(argv: string[]): GateCliOptions {
  const sep = argv.indexOf('--');
  const own = sep >= 0 ? argv.slice(0, sep) : argv;
  const labArgs = sep >= 0 ? argv.slice(sep + 1) : [...GATE_LAB_ARGS];
  const values = parseOwnArgs(own);
  const confirmRuns = Number(values['confirm-runs']);
  if (!Number.isInteger(confirmRuns) || confirmRuns < 0 || confirmRuns > 5)
    throw new GateInputError(`--confirm-runs: expected 0..5, got "${values['confirm-runs']}"`);
  return {
    results: values.results,
    confirmRuns,
    baseline: values.baseline!,
    threshold:
      values.threshold !== undefined ? parseThreshold(values.threshold, '--threshold') : DEFAULT_GATE_OPTIONS.threshold,
    absThreshold:
      values['abs-threshold'] !== undefined
        ? parseThreshold(values['abs-threshold'], '--abs-threshold')
        : DEFAULT_GATE_OPTIONS.absThreshold,
    failOnMissing: values['fail-on-missing']!,
    outDir: values['out-dir']!,
    writeBaseline: values['write-baseline']!,
    allowFailed: values['allow-failed']!,
    labArgs,
    help: values.help!,
  };
}

export interface GateIo {
  log(s: string): void;
  error(s: string): void;
  env: Record<string, string | undefined>;
  /** Runs the lab writing results to `out`; returns its exit code. */
  runLab(args: string[], out: string): number;
}

const defaultIo: GateIo = {
  log: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
  error: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
  env: process.env,
  runLab(args, out) {
    const r = spawnSync('bash', ['scripts/lab.sh', ...args, '--out', out], { stdio: 'inherit' });
    return r.status ?? 1;
  },
};

/** Lab arguments without `--scenarios`/`--out` (the gate sets those for confirmation runs). */
export function withoutScenarios(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--scenarios' || a === '--out') i++;
    else if (!a.startsWith('--scenarios=') && !a.startsWith('--out=')) out.push(a);
  }
  return out;
}

function runLabTo(io: GateIo, args: string[], out: string): string {
  mkdirSync(dirname(out), { recursive: true });
  rmSync(out, { force: true });
  io.log(`gate: running the lab: bash scripts/lab.sh ${args.join(' ')} --out ${out}`);
  const code = io.runLab(args, out);
  // A run with failed scenarios exits 1 but still writes results: the gate reports them.
  if (!existsSync(out)) throw new Error(`the lab exited with code ${code} without writing ${out}`);
  return out;
}

function obtainResults(o: GateCliOptions, io: GateIo): string {
  if (o.results) {
    if (!existsSync(o.results)) throw new GateInputError(`--results ${o.results}: no such file`);
    return o.results;
  }
  return runLabTo(io, o.labArgs, join(o.outDir, 'lab.json'));
}

/** The whole CLI; returns the exit code. */
export function gateMain(argv: string[], io: GateIo = defaultIo): number {
  let o: GateCliOptions;
  try {
    o = parseGateCli(argv);
  } catch (e) {
    io.error(`bench:check: ${e instanceof Error ? e.message : String(e)}\n\n${GATE_USAGE}`);
    return 2;
  }
  if (o.help) {
    io.log(GATE_USAGE);
    return 0;
  }
  try {
    if (!o.writeBaseline && !existsSync(o.baseline))
      throw new GateInputError(
        `no baseline at ${o.baseline}: create one with \`npm run bench:baseline\` (README, "Regression gate")`,
      );
    // Read the baseline before a 2-minute lab run, so a bad baseline fails fast.
    const baseline = o.writeBaseline ? undefined : parseBaseline(readFileSync(o.baseline, 'utf8'), o.baseline);
    const file = obtainResults(o, io);
    const run = parseResults(readFileSync(file, 'utf8'), file);
    if (o.writeBaseline) {
      const failed = run.scenarios.filter((s) => s.status === 'failed');
      const list = failed.map((s) => `${s.id} [${s.protocol}] (${s.reason})`).join('; ');
      if (failed.length && !o.allowFailed)
        throw new GateInputError(
          `not writing a baseline from a run with failed scenarios (--allow-failed to leave them out): ${list}`,
        );
      if (failed.length)
        io.error(`gate: warning: ${failed.length} failed scenario(s) left out of the baseline: ${list}`);
      const b = makeBaseline(run);
      mkdirSync(dirname(o.baseline), { recursive: true });
      writeFileSync(o.baseline, formatBaseline(b));
      io.log(
        `gate: wrote ${o.baseline} (${b.metrics.length} metrics from ${file}, ` +
          `commit ${b.source.gitCommit?.slice(0, 10) ?? '?'}${b.source.gitDirty ? ' dirty' : ''}); review and commit it.`,
      );
      return 0;
    }
    const gateOptions = { threshold: o.threshold, absThreshold: o.absThreshold, failOnMissing: o.failOnMissing };
    let g = compare(baseline!, run, gateOptions);
    // Confirmation re-runs (only when the gate ran the lab itself): a regression must reproduce.
    for (let i = 1; i <= o.confirmRuns && !o.results; i++) {
      const scenarios = regressedScenarios(g).filter((id) =>
        g.rows.some((r) => r.status === 'regressed' && (r.now ?? r.baseline)!.scenario === id),
      );
      if (!scenarios.length) break;
      io.log(
        `gate: ${scenarios.length} scenario(s) regressed; confirmation run ${i}/${o.confirmRuns}: ${scenarios.join(', ')}`,
      );
      const file2 = runLabTo(
        io,
        [...withoutScenarios(o.labArgs), '--scenarios', scenarios.join(',')],
        join(o.outDir, `lab-confirm-${i}.json`),
      );
      g = confirmWith(g, compare(baseline!, parseResults(readFileSync(file2, 'utf8'), file2), gateOptions));
    }
    const text = textReport(g);
    const md = markdownReport(g, {
      baselineCreatedAt: baseline!.createdAt,
      baselineCommit: baseline!.source.gitCommit,
      runCommit: run.environment.gitCommit,
    });
    const bench = benchmarkFiles(g);
    mkdirSync(o.outDir, { recursive: true });
    const p = (n: string) => join(o.outDir, n);
    writeFileSync(p('gate.txt'), text);
    writeFileSync(p('gate.md'), md);
    writeFileSync(p('gate.json'), `${JSON.stringify({ results: file, baseline: o.baseline, ...g }, null, 2)}\n`);
    writeFileSync(p('gate.benchmark-smaller.json'), `${JSON.stringify(bench.smaller, null, 2)}\n`);
    writeFileSync(p('gate.benchmark-bigger.json'), `${JSON.stringify(bench.bigger, null, 2)}\n`);
    const summary = io.env.GITHUB_STEP_SUMMARY;
    if (summary) appendFileSync(summary, `${md}\n`);
    io.log(text);
    io.log(
      `gate: wrote ${p('gate.txt')}, ${p('gate.md')}, ${p('gate.json')}, ` +
        `${p('gate.benchmark-smaller.json')}, ${p('gate.benchmark-bigger.json')}${summary ? `; appended to ${summary}` : ''}`,
    );
    return g.passed ? 0 : 1;
  } catch (e) {
    if (e instanceof GateInputError) {
      io.error(`bench:check: ${e.message}`);
      return 2;
    }
    io.error(`bench:check: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(gateMain(process.argv.slice(2)));
}
