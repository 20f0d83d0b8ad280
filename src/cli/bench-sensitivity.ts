/**
 * `npm run bench:sensitivity`: how sensitive the regression gate is, measured honestly
 * (docs/method.md#what-the-gate-gates). Runs the lab N times on unchanged code (every gate
 * failure there is a false alarm) and N times with one arm slowed by 5%, 10% and 20% with the
 * test-only slowdown knob (every gate failure on that arm's ratios is a detection), gates each run
 * against a baseline run made first, and prints the false-alarm and detection rates per scenario
 * family, with the measured change of the slowed arm's ratios.
 *
 *   npm run bench:sensitivity -- --trials 10                         quick runs (CI's setting)
 *   npm run bench:sensitivity -- --trials 3 --factors 1.2 -- --quick --scenarios publish-ack-latency --budget 20
 *
 * Long: (1 + trials × (1 + factors)) lab runs (plus confirmation re-runs). A measurement for a
 * quiet machine; its figures belong in the results, not in a test. Writes DIR/sensitivity.{json,md}
 * and every lab run's results beside them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { makeBaseline, parseResults } from '../gate/baseline';
import { compare, confirmWith, type GateResult, type GateRow, regressedScenarios } from '../gate/compare';
import { GATE_LAB_ARGS, withoutScenarios } from '../gate/cli';
import { ratioPair } from '../gate/metrics';
import type { LabResultsV1 } from '../lab/results';
import { SDK_KINDS, type SdkKind } from '../lab/types';

export const SENSITIVITY_USAGE = `Usage: npm run bench:sensitivity -- [options] [-- lab options]

  --trials N        runs per condition (default 5): unchanged, and each slowdown factor
  --factors LIST    slowdown factors of the slowed arm (default 1.05,1.1,1.2)
  --slow ARM        the arm the knob slows (default js)
  --arms LIST       the lab's arms (default js,raw)
  --confirm N       confirmation re-runs of regressed scenarios, as the gate does in CI (default 1)
  --out-dir DIR     where the results go (default results/sensitivity)
  -- ...            options for every lab run (default: the gate's, --quick --until-budget)`;

/**
 * The one place this script uses the test-only slowdown knob (e2e/harness/slowdown.ts): the
 * lab's command-line flag. If the knob moves (e.g. to a test-only worker entry), change it here.
 */
export function slowdownArgs(arm: string, factor: number): string[] {
  return ['--test-slowdown', `${arm}=${factor}`];
}

/** A scenario's family: its results group (latency, throughput, …), REST split out of throughput. */
export function familyOf(s: { id: string; group: string }): string {
  return s.id.startsWith('rest-') ? 'rest' : s.group;
}

export interface Trial {
  /** 1 = unchanged code; otherwise the slowed arm's factor. */
  factor: number;
  gate: GateResult;
  /** scenario id → family, from the run. */
  families: Record<string, string>;
}

/** Whether a gate row is a ratio with `arm` on either side (wall time or CPU per message). */
const involves = (r: GateRow, arm: string) => r.kind === 'ratio' && ratioPair((r.now ?? r.baseline)!).includes(arm);

export interface FamilyRates {
  family: string;
  /** Unchanged runs whose gate failed a ratio of this family. */
  falseAlarms: { k: number; n: number };
  /** Per factor: runs whose gate failed a ratio of this family involving the slowed arm. */
  detections: Record<string, { k: number; n: number; changes: number[] }>;
}

/** Detection and false-alarm counts per scenario family (pure). */
export function tally(trials: Trial[], slowArm: string): FamilyRates[] {
  const families = [...new Set(trials.flatMap((t) => Object.values(t.families)))].sort();
  return families.map((family) => {
    const rowsOf = (t: Trial) =>
      t.gate.rows.filter((r) => r.kind === 'ratio' && t.families[(r.now ?? r.baseline)!.scenario] === family);
    const plain = trials.filter((t) => t.factor === 1);
    const out: FamilyRates = {
      family,
      falseAlarms: { k: plain.filter((t) => rowsOf(t).some((r) => r.fails)).length, n: plain.length },
      detections: {},
    };
    for (const f of [...new Set(trials.map((t) => t.factor))].filter((x) => x !== 1).sort()) {
      const ts = trials.filter((t) => t.factor === f);
      out.detections[String(f)] = {
        k: ts.filter((t) => rowsOf(t).some((r) => r.fails && involves(r, slowArm))).length,
        n: ts.length,
        changes: ts.flatMap((t) =>
          rowsOf(t)
            .filter((r) => involves(r, slowArm) && r.change !== null)
            .map((r) => r.change!),
        ),
      };
    }
    return out;
  });
}

const rate = (x: { k: number; n: number }) => (x.n ? `${x.k}/${x.n} (${Math.round((100 * x.k) / x.n)}%)` : '–');
const med = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN;
};

export function sensitivityTable(rates: FamilyRates[], slowArm: string): string {
  const factors = [...new Set(rates.flatMap((r) => Object.keys(r.detections)))].sort();
  const head = [
    'family',
    'false alarms (unchanged)',
    ...factors.map((f) => `detected, ${slowArm} ×${f} [median change of its ratios]`),
  ];
  const rows = rates.map((r) => [
    r.family,
    rate(r.falseAlarms),
    ...factors.map((f) => {
      const d = r.detections[f];
      if (!d) return '–';
      const m = med(d.changes);
      return `${rate(d)}${Number.isFinite(m) ? ` [×${m.toFixed(3)}]` : ''}`;
    }),
  ]);
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((c) => `| ${c.join(' | ')} |`),
  ].join('\n');
}

interface Options {
  trials: number;
  factors: number[];
  slow: SdkKind;
  arms: SdkKind[];
  confirm: number;
  outDir: string;
  labArgs: string[];
  help: boolean;
}

export function parseSensitivityCli(argv: string[]): Options {
  const sep = argv.indexOf('--');
  const own = sep >= 0 ? argv.slice(0, sep) : argv;
  const labArgs = sep >= 0 ? argv.slice(sep + 1) : [...GATE_LAB_ARGS];
  const { values } = parseArgs({
    args: own,
    options: {
      trials: { type: 'string', default: '5' },
      factors: { type: 'string', default: '1.05,1.1,1.2' },
      slow: { type: 'string', default: 'js' },
      arms: { type: 'string', default: 'js,raw' },
      confirm: { type: 'string', default: '1' },
      'out-dir': { type: 'string', default: 'results/sensitivity' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const trials = Number(values.trials);
  if (!Number.isInteger(trials) || trials < 1) throw new Error(`--trials: expected ≥ 1, got "${values.trials}"`);
  const factors = values.factors!.split(',').map(Number);
  for (const f of factors) if (!(f > 1 && f <= 100)) throw new Error(`--factors: each must be in (1, 100], got ${f}`);
  const arms = values.arms!.split(',').map((x) => x.trim()) as SdkKind[];
  for (const a of [...arms, values.slow as SdkKind])
    if (!SDK_KINDS.includes(a)) throw new Error(`unknown arm "${a}" (known: ${SDK_KINDS.join(', ')})`);
  if (!arms.includes(values.slow as SdkKind)) throw new Error(`--slow ${values.slow} is not one of --arms`);
  if (arms.length < 2) throw new Error('--arms: at least two (the gate compares ratios)');
  const confirm = Number(values.confirm);
  if (!Number.isInteger(confirm) || confirm < 0 || confirm > 5) throw new Error('--confirm: expected 0..5');
  for (const a of labArgs)
    if (['--aa', '--arms', '--out', '--test-slowdown'].some((x) => a === x || a.startsWith(`${x}=`)))
      throw new Error(`lab option ${a} is set by bench:sensitivity itself`);
  return {
    trials,
    factors,
    slow: values.slow as SdkKind,
    arms,
    confirm,
    outDir: values['out-dir']!,
    labArgs,
    help: values.help!,
  };
}

function lab(args: string[], out: string): LabResultsV1 {
  rmSync(out, { force: true });
  console.log(`bench:sensitivity: npx tsx src/cli/lab.ts ${args.join(' ')} --out ${out}`);
  spawnSync('npx', ['tsx', 'src/cli/lab.ts', ...args, '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  // A run with a failed scenario exits 1 but writes results; the gate counts the failure.
  if (!existsSync(out)) throw new Error(`the lab wrote no ${out}`);
  return parseResults(readFileSync(out, 'utf8'), out);
}

function main(argv: string[]): number {
  let o: Options;
  try {
    o = parseSensitivityCli(argv);
  } catch (e) {
    console.error(`bench:sensitivity: ${e instanceof Error ? e.message : String(e)}\n\n${SENSITIVITY_USAGE}`);
    return 2;
  }
  if (o.help) {
    console.log(SENSITIVITY_USAGE);
    return 0;
  }
  if (process.env.LAB_CHECK_ARGS_ONLY === '1') return 0;
  mkdirSync(o.outDir, { recursive: true });
  const base = ['--arms', o.arms.join(','), ...o.labArgs];
  const baseline = makeBaseline(lab(base, join(o.outDir, 'baseline.json')));
  const trials: Trial[] = [];
  for (let i = 1; i <= o.trials; i++)
    for (const factor of [1, ...o.factors]) {
      const args = factor === 1 ? base : [...base, ...slowdownArgs(o.slow, factor)];
      const tag = factor === 1 ? 'plain' : `slow${factor}`;
      const run = lab(args, join(o.outDir, `${tag}-${i}.json`));
      let gate = compare(baseline, run);
      // As the CI gate does (--confirm-runs): a regression stands only if a re-run reproduces it.
      for (let c = 1; c <= o.confirm && regressedScenarios(gate).length; c++) {
        const again = lab(
          [...withoutScenarios(args), '--scenarios', regressedScenarios(gate).join(',')],
          join(o.outDir, `${tag}-${i}-confirm${c}.json`),
        );
        gate = confirmWith(gate, compare(baseline, again));
      }
      const families = Object.fromEntries(run.scenarios.map((s) => [s.id, familyOf(s)]));
      trials.push({ factor, gate, families });
      console.log(
        `bench:sensitivity: trial ${i} ${tag}: gate ${gate.passed ? 'passed' : 'FAILED'}${gate.failures.length ? ` (${gate.failures.length} failure(s))` : ''}`,
      );
    }
  const rates = tally(trials, o.slow);
  const table = sensitivityTable(rates, o.slow);
  const md = [
    '## Gate sensitivity (`npm run bench:sensitivity`)',
    '',
    `${o.trials} trial(s) per condition; arms ${o.arms.join(', ')}; ${o.slow} slowed by the test-only knob; ` +
      `lab options \`${o.labArgs.join(' ')}\`; confirmation re-runs ${o.confirm}.`,
    '',
    table,
    '',
  ].join('\n');
  writeFileSync(
    join(o.outDir, 'sensitivity.json'),
    `${JSON.stringify({ options: o, rates, trials: trials.map((t) => ({ factor: t.factor, failures: t.gate.failures })) }, null, 2)}\n`,
  );
  writeFileSync(join(o.outDir, 'sensitivity.md'), md);
  console.log(`\n${md}\nbench:sensitivity: wrote ${join(o.outDir, 'sensitivity.json')} and sensitivity.md`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(main(process.argv.slice(2)));
}
