/**
 * `npm run bench:instructions`: the Rust core's instruction counts (rust-wasm/benches/instructions.rs
 * under Callgrind, through gungraun), compared with `bench/instructions.json`; fails on +2%.
 *
 *   npm run bench:instructions                          run and gate
 *   npm run bench:instructions -- --write-baseline      run and refresh bench/instructions.json
 *   npm run bench:instructions -- --baseline /tmp/base.json --threshold 1%
 *
 * Installs the gungraun runner it needs (the exact version pinned in rust-wasm/Cargo.toml, from
 * crates.io, into ~/.cache/gungraun-runner/VERSION) unless GUNGRAUN_RUNNER names one.
 * Writes results/instructions/{instructions.json,gate.txt,gate.md} and appends the Markdown to
 * $GITHUB_STEP_SUMMARY when set. Exit code: 0 passed, 1 a regression (or a benchmark that failed
 * or disappeared), 2 bad input or a broken tool chain.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  compareInstructions,
  DEFAULT_INSTRUCTION_THRESHOLD,
  formatInstructionsBaseline,
  INSTRUCTIONS_FORMAT,
  type InstructionBench,
  type InstructionEnvironment,
  type InstructionsBaselineV1,
  instructionsMarkdown,
  instructionsText,
  parseAnnotate,
  parseInstructionsBaseline,
  TOP_FUNCTIONS,
} from './instructions';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const crate = join(root, 'rust-wasm');
/**
 * Own target dir: the counts are taken with the machine's rustup toolchain (below), while
 * `cargo test` in scripts/test-rust.sh builds with the wasm toolchain's rustc into target/; one
 * shared dir would rebuild everything on every switch.
 */
const targetDir = join(crate, 'target', 'instructions');
const gungraunOut = join(targetDir, 'gungraun');

/**
 * PATH without the wasm toolchain that scripts/test.sh puts first (Debian's rustc, built for
 * wasm32): the counts depend on the compiler, so they are always taken with the same one, the
 * machine's rustup toolchain, whoever calls this.
 */
const toolPath = (process.env.PATH ?? '')
  .split(':')
  .filter((d) => !d.includes('/wasm-rust/'))
  .join(':');
const toolEnv = { ...process.env, PATH: toolPath, CARGO_TARGET_DIR: targetDir };

export const INSTRUCTIONS_USAGE = `Usage: npm run bench:instructions -- [options]

  --baseline FILE     the baseline (default bench/instructions.json)
  --write-baseline    write the baseline from this run instead of checking
  --threshold P       limit, e.g. 2% or 1.02 (default 2%)
  --out-dir DIR       where instructions.json, gate.txt and gate.md go (default results/instructions)
  --help`;

function parseThreshold(s: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(s);
  if (!m) throw new Error(`--threshold: expected 2% or 1.02, got "${s}"`);
  const v = m[2] === '%' ? 1 + Number(m[1]) / 100 : Number(m[1]);
  if (!(v > 1)) throw new Error(`--threshold must be above 0% (got "${s}")`);
  return v;
}

/** The gungraun version pinned in rust-wasm/Cargo.toml (`gungraun = "=X.Y.Z"`). */
export function pinnedGungraun(cargoToml: string): string {
  const m = /^gungraun\s*=\s*"=(\d+\.\d+\.\d+)"/m.exec(cargoToml);
  if (!m) throw new Error('rust-wasm/Cargo.toml must pin gungraun exactly (gungraun = "=X.Y.Z")');
  return m[1]!;
}

function runner(version: string): string {
  if (process.env.GUNGRAUN_RUNNER) return process.env.GUNGRAUN_RUNNER;
  const dir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'gungraun-runner', version);
  const bin = join(dir, 'bin', 'gungraun-runner');
  if (!existsSync(bin)) {
    console.log(`bench:instructions: installing gungraun-runner ${version} into ${dir} (once)`);
    execFileSync('cargo', ['install', '--locked', 'gungraun-runner', '--version', `=${version}`, '--root', dir], {
      stdio: 'inherit',
      env: { ...process.env, PATH: toolPath }, // cargo install builds in a temp dir of its own
    });
  }
  return bin;
}

const firstLine = (cmd: string, args: string[], cwd = root) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', env: toolEnv }).split('\n')[0]!.trim();

function environment(gungraun: string): InstructionEnvironment {
  return {
    rustc: firstLine('rustc', ['-V'], crate),
    valgrind: firstLine('valgrind', ['--version']),
    libc: firstLine('ldd', ['--version']),
    // glibc picks memcpy/memset variants by CPU features (AVX2, ERMS, …), which changes counts.
    cpu: /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown',
    gungraun,
  };
}

/** Callgrind output files of the last run: target/gungraun/PKG/BENCH/GROUP/FN.ID/callgrind.FN.ID.out */
function outFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return outFiles(p);
    return /^callgrind\..+\.out$/.test(e.name) ? [p] : [];
  });
}

function measure(): InstructionBench[] {
  const files = outFiles(gungraunOut);
  if (!files.length) throw new Error(`no Callgrind output under ${gungraunOut}`);
  return files
    .map((f) => {
      // GROUP/FN.ID from the path (PKG/BENCH above it are always ably-wasm/instructions).
      const parts = relative(gungraunOut, f).split('/');
      const id = `${parts.at(-3)}/${parts.at(-2)}`;
      const text = execFileSync(
        'callgrind_annotate',
        ['--show=Ir', '--threshold=100', '--auto=no', '--inclusive=no', f],
        {
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      const a = parseAnnotate(text);
      return { id, instructions: a.total, functions: a.functions.slice(0, TOP_FUNCTIONS) };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

function gitCommit(): string | null {
  try {
    return firstLine('git', ['rev-parse', 'HEAD']);
  } catch {
    return null;
  }
}

export function instructionsMain(argv: string[]): number {
  let o: { baseline: string; write: boolean; threshold: number; outDir: string; help: boolean };
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        baseline: { type: 'string', default: 'bench/instructions.json' },
        'write-baseline': { type: 'boolean', default: false },
        threshold: { type: 'string' },
        'out-dir': { type: 'string', default: 'results/instructions' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
    o = {
      baseline: values.baseline!,
      write: values['write-baseline']!,
      threshold: values.threshold ? parseThreshold(values.threshold) : DEFAULT_INSTRUCTION_THRESHOLD,
      outDir: values['out-dir']!,
      help: values.help!,
    };
  } catch (e) {
    console.error(`bench:instructions: ${e instanceof Error ? e.message : String(e)}\n\n${INSTRUCTIONS_USAGE}`);
    return 2;
  }
  if (o.help) {
    console.log(INSTRUCTIONS_USAGE);
    return 0;
  }
  try {
    // Read the baseline first: a bad one should fail before minutes of building and counting.
    const baseline = o.write ? undefined : parseInstructionsBaseline(readFileSync(o.baseline, 'utf8'), o.baseline);
    const version = pinnedGungraun(readFileSync(join(crate, 'Cargo.toml'), 'utf8'));
    const env = environment(version);
    const bin = runner(version);
    rmSync(gungraunOut, { recursive: true, force: true }); // only this run's files count
    console.log(`bench:instructions: cargo bench --bench instructions (GUNGRAUN_RUNNER=${bin})`);
    const r = spawnSync('cargo', ['bench', '--locked', '--bench', 'instructions'], {
      cwd: crate,
      stdio: 'inherit',
      env: { ...toolEnv, GUNGRAUN_RUNNER: bin },
    });
    if (r.status !== 0) {
      console.error(`bench:instructions: cargo bench exited with ${r.status ?? r.signal}`);
      return 1;
    }
    const benchmarks = measure();
    mkdirSync(o.outDir, { recursive: true });
    const run = { createdAt: new Date().toISOString(), gitCommit: gitCommit(), environment: env, benchmarks };
    writeFileSync(join(o.outDir, 'instructions.json'), `${JSON.stringify(run, null, 2)}\n`);
    if (o.write) {
      const b: InstructionsBaselineV1 = { format: INSTRUCTIONS_FORMAT, version: 1, ...run };
      mkdirSync(dirname(o.baseline), { recursive: true });
      writeFileSync(o.baseline, formatInstructionsBaseline(b));
      console.log(`bench:instructions: wrote ${o.baseline} (${benchmarks.length} benchmarks); review and commit it.`);
      return 0;
    }
    const g = compareInstructions(baseline!, run, o.threshold);
    const text = instructionsText(g);
    writeFileSync(join(o.outDir, 'gate.txt'), text);
    writeFileSync(join(o.outDir, 'gate.md'), instructionsMarkdown(g));
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, instructionsMarkdown(g));
    console.log(`\n${text}`);
    if (g.environmentDiffers.length && !g.passed) {
      // Counts from another compiler or C library differ without any code change: not a regression.
      console.log(
        "bench:instructions: NOT failing: the toolchain differs from the baseline's, so the counts are not comparable. " +
          'Refresh the baseline on this toolchain (npm run bench:instructions -- --write-baseline) ' +
          'or compare with a base run on the same machine.',
      );
      return 0;
    }
    return g.passed ? 0 : 1;
  } catch (e) {
    console.error(`bench:instructions: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(instructionsMain(process.argv.slice(2)));
}
