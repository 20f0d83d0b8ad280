/**
 * `npm run bench:aa`: the A/A noise floor as a benchmark figure (docs/method.md#aa-runs-the-noise-floor).
 *
 *   npm run bench:aa                                   js twice, quick run, every scenario
 *   npm run bench:aa -- --arms js,raw --repeat 3 -- --scenarios publish-ack-latency --budget 60
 *
 * Runs the lab once per arm (and repeat) with `--aa`, so the same SDK runs in two workers (A and
 * A'), and reports every A/A comparison with its repeated CI and verdict, how many rows came out
 * `equivalent`, `unsure` and — the failures of the method — `faster`/`slower`, and per scenario
 * whether repeats lean the same way (a harness bias would; noise would not).
 *
 * Whether an A/A latency comparison comes out `equivalent` is a timing figure, so it lives here
 * and not in `npm test` (a 95% method is wrong 1 time in 20 per comparison, and a busy machine
 * widens every CI). Writes DIR/aa-ARM-K.json (the lab's results), DIR/aa.json and DIR/aa.md.
 * Exit code 0 whatever the verdicts (a measurement), 1 when a lab run wrote no results, 2 on bad usage.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { LabResultsV1 } from '../lab/results';
import { fmt, textTable } from '../lab/summary';
import { SDK_KINDS, type SdkKind } from '../lab/types';

export const AA_USAGE = `Usage: npm run bench:aa -- [--arms js,raw,rust] [--repeat N] [--out-dir DIR] [-- lab options]

  --arms LIST      SDKs to run A/A (each against a second copy of itself; default js)
  --repeat N       runs per arm (default 1): with several, the table says whether repeats lean the same way
  --out-dir DIR    where aa-ARM-K.json, aa.json and aa.md go (default results/aa)
  -- ...           options for each lab run (default --quick), e.g. -- --scenarios publish-ack-latency --budget 60`;

export interface AaRow {
  arm: string;
  repeat: number;
  scenario: string;
  protocol: string;
  ratio: number | null;
  ci: [number | null, number | null];
  level: number | null;
  n: number;
  verdict: string;
}

/** Every A/A comparison of one run (the copy over the original, e.g. js'/js). */
export function aaRows(r: LabResultsV1, repeat: number): AaRow[] {
  if (!r.config.aa) throw new Error('not an A/A run (results.config.aa is false)');
  const arm = r.arms[0]!.id;
  return r.scenarios
    .filter((s) => s.status === 'ok')
    .flatMap((s) =>
      s.comparisons.map((c) => ({
        arm,
        repeat,
        scenario: s.id,
        protocol: s.protocol,
        ratio: c.ratio,
        ci: c.ci,
        level: c.level ?? null,
        n: c.n,
        verdict: c.verdict,
      })),
    );
}

export interface AaSummary {
  rows: number;
  equivalent: number;
  unsure: number;
  /** faster + slower: verdicts an A/A run must never give (the method's false alarms). */
  falseVerdicts: number;
  /** Per arm and scenario with ≥ 2 repeats: how many repeats had A' below A, and above. */
  lean: { arm: string; scenario: string; protocol: string; below: number; above: number; ratios: number[] }[];
}

export function summariseAa(rows: AaRow[]): AaSummary {
  const groups = new Map<string, AaRow[]>();
  for (const r of rows) {
    const k = `${r.arm}\u0000${r.scenario}\u0000${r.protocol}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const lean = [...groups.values()]
    .filter((g) => g.length >= 2)
    .map((g) => {
      const ratios = g.map((r) => r.ratio).filter((x): x is number => x !== null);
      return {
        arm: g[0]!.arm,
        scenario: g[0]!.scenario,
        protocol: g[0]!.protocol,
        below: ratios.filter((x) => x < 1).length,
        above: ratios.filter((x) => x > 1).length,
        ratios,
      };
    });
  return {
    rows: rows.length,
    equivalent: rows.filter((r) => r.verdict === 'equivalent').length,
    unsure: rows.filter((r) => r.verdict === 'unsure').length,
    falseVerdicts: rows.filter((r) => r.verdict === 'faster' || r.verdict === 'slower').length,
    lean,
  };
}

const HEADER = ['arm', 'run', 'scenario', 'ratio (copy/original)', 'repeated CI', 'level', 'n', 'verdict'];

function cells(r: AaRow): string[] {
  return [
    `${r.arm}'/${r.arm}`,
    String(r.repeat),
    r.protocol === 'json' ? r.scenario : `${r.scenario} [${r.protocol}]`,
    fmt(r.ratio),
    `${fmt(r.ci[0])}–${fmt(r.ci[1])}`,
    r.level === null ? '–' : `${(r.level * 100).toFixed(1)}%`,
    String(r.n),
    r.verdict === 'faster' || r.verdict === 'slower' ? `${r.verdict.toUpperCase()} (false)` : r.verdict,
  ];
}

function summaryLines(s: AaSummary): string[] {
  const pct = (k: number) => (s.rows ? `${Math.round((100 * k) / s.rows)}%` : '–');
  const out = [
    `A/A: ${s.rows} comparisons — ${s.equivalent} equivalent (${pct(s.equivalent)}), ` +
      `${s.unsure} unsure, ${s.falseVerdicts} faster/slower (false verdicts; target 0).`,
  ];
  for (const l of s.lean)
    out.push(
      `  ${l.arm} ${l.scenario}${l.protocol === 'json' ? '' : ` [${l.protocol}]`}: ` +
        `ratios ${l.ratios.map((x) => fmt(x)).join(', ')} — ` +
        `${l.below} below 1, ${l.above} above` +
        `${l.ratios.length >= 3 && (l.below === 0 || l.above === 0) ? ' (all one way: look for a harness bias)' : ''}`,
    );
  return out;
}

export function aaText(rows: AaRow[]): string {
  return `${textTable(HEADER, rows.map(cells))}\n\n${summaryLines(summariseAa(rows)).join('\n')}\n`;
}

export function aaMarkdown(rows: AaRow[], commands: string[]): string {
  const esc = (x: string) => x.replace(/\|/g, '\\|');
  return [
    '## A/A noise floor (`npm run bench:aa`)',
    '',
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
    '',
    ...summaryLines(summariseAa(rows)),
    '',
    'Commands:',
    '',
    ...commands.map((c) => `    ${c}`),
    '',
  ].join('\n');
}

interface AaOptions {
  arms: SdkKind[];
  repeat: number;
  outDir: string;
  labArgs: string[];
  help: boolean;
}

export function parseAaCli(argv: string[]): AaOptions {
  const sep = argv.indexOf('--');
  const own = sep >= 0 ? argv.slice(0, sep) : argv;
  const labArgs = sep >= 0 ? argv.slice(sep + 1) : ['--quick'];
  const { values } = parseArgs({
    args: own,
    options: {
      arms: { type: 'string', default: 'js' },
      repeat: { type: 'string', default: '1' },
      'out-dir': { type: 'string', default: 'results/aa' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const arms = values.arms!.split(',').map((x) => x.trim()) as SdkKind[];
  for (const a of arms)
    if (!SDK_KINDS.includes(a)) throw new Error(`unknown arm "${a}" (known: ${SDK_KINDS.join(', ')})`);
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20)
    throw new Error(`--repeat: expected 1..20, got "${values.repeat}"`);
  for (const a of labArgs)
    if (a === '--aa' || a === '--arms' || a === '--out' || a.startsWith('--arms=') || a.startsWith('--out='))
      throw new Error(`lab option ${a} is set by bench:aa itself`);
  return { arms, repeat, outDir: values['out-dir']!, labArgs, help: values.help! };
}

function main(argv: string[]): number {
  let o: AaOptions;
  try {
    o = parseAaCli(argv);
  } catch (e) {
    console.error(`bench:aa: ${e instanceof Error ? e.message : String(e)}\n\n${AA_USAGE}`);
    return 2;
  }
  if (o.help) {
    console.log(AA_USAGE);
    return 0;
  }
  // scripts/bench-lab.sh checks the arguments before it spends minutes on setup and builds.
  if (process.env.LAB_CHECK_ARGS_ONLY === '1') return 0;
  mkdirSync(o.outDir, { recursive: true });
  const rows: AaRow[] = [];
  const commands: string[] = [];
  for (let k = 1; k <= o.repeat; k++)
    for (const arm of o.arms) {
      const out = join(o.outDir, `aa-${arm}-${k}.json`);
      rmSync(out, { force: true });
      const args = ['src/cli/lab.ts', '--aa', '--arms', arm, ...o.labArgs, '--out', out];
      commands.push(`npx tsx ${args.join(' ')}`);
      console.log(`bench:aa: ${commands.at(-1)}`);
      spawnSync('npx', ['tsx', ...args], { stdio: 'inherit' });
      // A run with a failed scenario exits 1 but still writes its results: report what it has.
      if (!existsSync(out)) {
        console.error(`bench:aa: the lab wrote no ${out}`);
        return 1;
      }
      rows.push(...aaRows(JSON.parse(readFileSync(out, 'utf8')) as LabResultsV1, k));
    }
  const text = aaText(rows);
  writeFileSync(
    join(o.outDir, 'aa.json'),
    `${JSON.stringify({ commands, rows, summary: summariseAa(rows) }, null, 2)}\n`,
  );
  writeFileSync(join(o.outDir, 'aa.md'), aaMarkdown(rows, commands));
  console.log(`\n${text}\nbench:aa: wrote ${join(o.outDir, 'aa.json')} and ${join(o.outDir, 'aa.md')}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(main(process.argv.slice(2)));
}
