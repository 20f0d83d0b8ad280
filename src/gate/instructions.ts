/**
 * The Rust core's deterministic tier (docs/method.md#instruction-counts-the-deterministic-tier):
 * instruction counts of its hot paths under Callgrind (rust-wasm/benches/instructions.rs), a
 * committed baseline (`bench/instructions.json`) and a gate that fails on a +2% regression and
 * names the functions that grew. Pure: parsing, comparison and reports; the CLI
 * (instructions-cli.ts) runs cargo, Valgrind and callgrind_annotate.
 *
 * An instruction count does not move with the machine's load, so no confidence interval is
 * needed: the same binary on the same toolchain counts the same (the gate checks that by running
 * twice in its tests). It does move with the toolchain (rustc, the C library's memcpy/malloc,
 * Valgrind), so the baseline records those and the gate refuses to compare across them.
 */

export const INSTRUCTIONS_FORMAT = 'ably-sdk-lab-instructions-baseline';
export const INSTRUCTIONS_VERSION = 1;
/** +2%: the issue's bar for the deterministic tier. */
export const DEFAULT_INSTRUCTION_THRESHOLD = 1.02;
/** Functions kept per benchmark (by self cost): enough to say which one grew. */
export const TOP_FUNCTIONS = 25;

export interface FunctionCost {
  /** callgrind_annotate's `file:function`, without the object file. */
  name: string;
  /** Instructions executed in the function itself (exclusive). */
  self: number;
}

export interface InstructionBench {
  /** `group/function.bench`, e.g. `codecs/codec_encode.json_publish_1x100`. */
  id: string;
  /** Instructions executed in the counted region (Callgrind's Ir total). */
  instructions: number;
  /** The costliest functions by self cost (TOP_FUNCTIONS of them). */
  functions: FunctionCost[];
}

/** What the counts depend on besides the code. */
export interface InstructionEnvironment {
  rustc: string;
  valgrind: string;
  libc: string;
  /** The CPU model: the C library's string functions are chosen by CPU features. */
  cpu: string;
  gungraun: string;
}

export interface InstructionsBaselineV1 {
  format: typeof INSTRUCTIONS_FORMAT;
  version: 1;
  createdAt: string;
  gitCommit: string | null;
  environment: InstructionEnvironment;
  benchmarks: InstructionBench[];
}

/** One callgrind_annotate report → the total and every function's self cost. */
export function parseAnnotate(text: string): { total: number; functions: FunctionCost[] } {
  let total: number | null = null;
  const functions: FunctionCost[] = [];
  for (const line of text.split('\n')) {
    // "1,234,567 (100.0%)  PROGRAM TOTALS" / "12,345 (1.2%)  src/x.rs:crate::f [/path/bin]"
    // (valgrind ≥ 3.21 prints percentages; older ones do not).
    const m = /^\s*([\d,]+)\s+(?:\(\s*[\d.]+%\)\s+)?(.+?)\s*$/.exec(line);
    if (!m) continue;
    const n = Number(m[1]!.replace(/,/g, ''));
    const what = m[2]!;
    if (what === 'PROGRAM TOTALS') total = n;
    else if (total !== null && /:/.test(what)) functions.push({ name: what.replace(/\s+\[[^\]]*\]$/, ''), self: n });
  }
  if (total === null) throw new Error('callgrind_annotate output without PROGRAM TOTALS');
  // The same function may appear once per object file or inlined copy: add them up.
  const merged = new Map<string, number>();
  for (const f of functions) merged.set(f.name, (merged.get(f.name) ?? 0) + f.self);
  return {
    total,
    functions: [...merged].map(([name, self]) => ({ name, self })).sort((a, b) => b.self - a.self),
  };
}

export type InstructionStatus = 'regressed' | 'improved' | 'ok' | 'new' | 'missing';

export interface InstructionRow {
  id: string;
  baseline: number | null;
  now: number | null;
  /** now / baseline. */
  change: number | null;
  status: InstructionStatus;
  /** For a regression: the functions whose self cost grew most (absolute instructions). */
  grew: { name: string; baseline: number; now: number }[];
}

export interface InstructionGate {
  passed: boolean;
  threshold: number;
  rows: InstructionRow[];
  failures: string[];
  /** Non-empty when the toolchain differs from the baseline's: counts are not comparable then. */
  environmentDiffers: string[];
}

/** The functions whose self cost grew most between two runs of one benchmark. */
export function grownFunctions(base: FunctionCost[], now: FunctionCost[], limit = 3): InstructionRow['grew'] {
  const b = new Map(base.map((f) => [f.name, f.self]));
  // A function below the baseline's top list counted 0 there: its growth is an upper bound.
  return now
    .map((f) => ({ name: f.name, baseline: b.get(f.name) ?? 0, now: f.self }))
    .filter((f) => f.now > f.baseline)
    .sort((x, y) => y.now - y.baseline - (x.now - x.baseline))
    .slice(0, limit);
}

export function environmentDiff(a: InstructionEnvironment, b: InstructionEnvironment): string[] {
  return (Object.keys(a) as (keyof InstructionEnvironment)[])
    .filter((k) => a[k] !== b[k])
    .map((k) => `${k}: baseline "${a[k]}", now "${b[k]}"`);
}

export function compareInstructions(
  baseline: InstructionsBaselineV1,
  now: { environment: InstructionEnvironment; benchmarks: InstructionBench[] },
  threshold = DEFAULT_INSTRUCTION_THRESHOLD,
): InstructionGate {
  if (!(threshold > 1)) throw new Error(`threshold must be above 100%, got ${threshold}`);
  const base = new Map(baseline.benchmarks.map((b) => [b.id, b]));
  const cur = new Map(now.benchmarks.map((b) => [b.id, b]));
  const rows: InstructionRow[] = [];
  for (const id of [...new Set([...base.keys(), ...cur.keys()])].sort()) {
    const b = base.get(id);
    const n = cur.get(id);
    const change = b && n ? n.instructions / b.instructions : null;
    const status: InstructionStatus = !b
      ? 'new'
      : !n
        ? 'missing'
        : change! > threshold
          ? 'regressed'
          : change! < 1 / threshold
            ? 'improved'
            : 'ok';
    rows.push({
      id,
      baseline: b?.instructions ?? null,
      now: n?.instructions ?? null,
      change,
      status,
      grew: status === 'regressed' ? grownFunctions(b!.functions, n!.functions) : [],
    });
  }
  const environmentDiffers = environmentDiff(baseline.environment, now.environment);
  const failures = rows
    .filter((r) => r.status === 'regressed')
    .map(
      (r) =>
        `${r.id}: ${pct(r.change!)} instructions (${r.baseline} → ${r.now}), above the +${round1((threshold - 1) * 100)}% limit` +
        (r.grew.length
          ? `; grew most: ${r.grew.map((f) => `${f.name} +${f.now - f.baseline} (${f.baseline} → ${f.now})`).join(', ')}`
          : ''),
    );
  for (const r of rows.filter((x) => x.status === 'missing'))
    failures.push(
      `${r.id}: in the baseline but not measured (a benchmark was removed or renamed: refresh the baseline)`,
    );
  return { passed: failures.length === 0, threshold, rows, failures, environmentDiffers };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export function pct(change: number): string {
  const p = (change - 1) * 100;
  if (Math.abs(p) < 0.005) return '0.00%';
  return `${p > 0 ? '+' : '−'}${Math.abs(p).toFixed(2)}%`;
}

export function instructionsText(g: InstructionGate): string {
  const w = Math.max(9, ...g.rows.map((r) => r.id.length));
  const num = (x: number | null) => (x === null ? '–' : x.toLocaleString('en-US'));
  const lines = [
    `${'benchmark'.padEnd(w)}  ${'baseline'.padStart(14)}  ${'now'.padStart(14)}  ${'change'.padStart(9)}  status`,
    ...g.rows.map(
      (r) =>
        `${r.id.padEnd(w)}  ${num(r.baseline).padStart(14)}  ${num(r.now).padStart(14)}  ` +
        `${(r.change === null ? '–' : pct(r.change)).padStart(9)}  ${r.status === 'regressed' ? 'REGRESSED' : r.status}`,
    ),
    '',
    ...g.environmentDiffers.map((d) => `toolchain differs from the baseline's — ${d}`),
    g.failures.length
      ? `Instruction gate FAILED (limit +${round1((g.threshold - 1) * 100)}%):\n${g.failures.map((f) => `  - ${f}`).join('\n')}`
      : `Instruction gate passed: no benchmark above +${round1((g.threshold - 1) * 100)}%.`,
  ];
  return `${lines.join('\n')}\n`;
}

export function instructionsMarkdown(g: InstructionGate): string {
  const num = (x: number | null) => (x === null ? '–' : x.toLocaleString('en-US'));
  return [
    `## ${g.passed ? '✅' : '❌'} Rust core instruction counts (Callgrind; limit +${round1((g.threshold - 1) * 100)}%)`,
    '',
    '| benchmark | baseline | now | change | status |',
    '|---|---:|---:|---:|---|',
    ...g.rows.map(
      (r) =>
        `| ${r.id} | ${num(r.baseline)} | ${num(r.now)} | ${r.change === null ? '–' : pct(r.change)} | ${r.status} |`,
    ),
    '',
    ...g.environmentDiffers.map((d) => `- ⚠️ toolchain differs from the baseline's — ${d}`),
    ...g.failures.map((f) => `- ❌ ${f}`),
    '',
  ].join('\n');
}

/** The baseline as JSON, one benchmark per line (short diffs on refresh). */
export function formatInstructionsBaseline(b: InstructionsBaselineV1): string {
  const { benchmarks, ...head } = b;
  const top = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  return `${top},\n  "benchmarks": [\n${benchmarks.map((x) => `    ${JSON.stringify(x)}`).join(',\n')}\n  ]\n}\n`;
}

export function parseInstructionsBaseline(text: string, what = 'baseline'): InstructionsBaselineV1 {
  const b = JSON.parse(text) as Partial<InstructionsBaselineV1> | null;
  if (!b || b.format !== INSTRUCTIONS_FORMAT)
    throw new Error(`${what}: not an instruction-count baseline (expected "format": "${INSTRUCTIONS_FORMAT}")`);
  if (b.version !== INSTRUCTIONS_VERSION) throw new Error(`${what}: version ${b.version}, this gate reads 1`);
  if (!Array.isArray(b.benchmarks) || !b.environment) throw new Error(`${what}: benchmarks/environment missing`);
  for (const [i, x] of b.benchmarks.entries())
    if (
      typeof x?.id !== 'string' ||
      !(Number.isInteger(x.instructions) && x.instructions > 0) ||
      !Array.isArray(x.functions)
    )
      throw new Error(`${what}.benchmarks[${i}]: expected { id, instructions > 0, functions }`);
  return b as InstructionsBaselineV1;
}
