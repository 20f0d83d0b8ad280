/**
 * The instruction-count gate (the Rust core's deterministic tier): callgrind_annotate parsing on
 * real Valgrind output, and the +2% decision naming the benchmark and the function that grew.
 */
import { describe, expect, it } from 'vitest';
import {
  compareInstructions,
  formatInstructionsBaseline,
  INSTRUCTIONS_FORMAT,
  type InstructionBench,
  type InstructionsBaselineV1,
  instructionsMarkdown,
  instructionsText,
  parseAnnotate,
  parseInstructionsBaseline,
} from './instructions';
import { pinnedGungraun } from './instructions-cli';

// callgrind_annotate --threshold=100 --auto=no --inclusive=no, Valgrind 3.19 (trimmed).
const ANNOTATE = `--------------------------------------------------------------------------------
Profile data file 'callgrind.out' (creator: callgrind-3.19.0)
--------------------------------------------------------------------------------
Events recorded:  Ir
Thresholds:       100

--------------------------------------------------------------------------------
Ir               
--------------------------------------------------------------------------------
126,637 (100.0%)  PROGRAM TOTALS

--------------------------------------------------------------------------------
Ir               file:function
--------------------------------------------------------------------------------
21,172 (16.72%)  ./elf/./elf/dl-lookup.c:do_lookup_x [/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2]
18,529 (14.63%)  ./elf/./elf/dl-tunables.c:__GI___tunables_init [/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2]
 8,262 ( 6.52%)  ./elf/../sysdeps/generic/dl-new-hash.h:_dl_lookup_symbol_x
 8,128 ( 6.42%)  ./elf/./elf/dl-lookup.c:_dl_lookup_symbol_x [/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2]
   100 ( 0.08%)  ./elf/./elf/dl-lookup.c:do_lookup_x [/usr/lib/x86_64-linux-gnu/libc.so.6]
`;

const ENV = {
  rustc: 'rustc 1.95.0',
  valgrind: 'valgrind-3.19.0',
  libc: 'ldd (GLIBC) 2.36',
  cpu: 'x',
  gungraun: '0.20.0',
};

const bench = (id: string, instructions: number, functions = [{ name: 'src/codec/json.rs:encode', self: 1000 }]) =>
  ({ id, instructions, functions }) satisfies InstructionBench;

const baseline: InstructionsBaselineV1 = {
  format: INSTRUCTIONS_FORMAT,
  version: 1,
  createdAt: '2026-11-30T23:00:00.000Z',
  gitCommit: 'abc',
  environment: ENV,
  benchmarks: [
    bench('codecs/codec_encode.json_publish_1x100', 10_000, [
      { name: 'src/codec/json.rs:ably_wasm::codec::json::encode', self: 6000 },
      { name: 'malloc.c:malloc', self: 1000 },
    ]),
    bench('connection/publish_ack.json', 1_000_000),
  ],
};

describe('parseAnnotate', () => {
  it('reads the total and every function’s self cost, merging copies of one function', () => {
    const a = parseAnnotate(ANNOTATE);
    expect(a.total).toBe(126_637);
    expect(a.functions[0]).toEqual({ name: './elf/./elf/dl-lookup.c:do_lookup_x', self: 21_272 });
    expect(a.functions.map((f) => f.name)).toContain('./elf/../sysdeps/generic/dl-new-hash.h:_dl_lookup_symbol_x');
    expect(a.functions.every((f, i) => i === 0 || a.functions[i - 1]!.self >= f.self)).toBe(true);
  });
  it('refuses output without a total', () => {
    expect(() => parseAnnotate('nothing here')).toThrow(/PROGRAM TOTALS/);
  });
});

describe('compareInstructions', () => {
  it('passes unchanged counts (the same binary counts the same)', () => {
    const g = compareInstructions(baseline, { environment: ENV, benchmarks: baseline.benchmarks });
    expect(g.passed).toBe(true);
    expect(g.rows.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(instructionsText(g)).toMatch(/Instruction gate passed/);
  });

  it('FAILS on +2.5%, naming the benchmark and the function that grew', () => {
    const now = [
      bench('codecs/codec_encode.json_publish_1x100', 10_250, [
        { name: 'src/codec/json.rs:ably_wasm::codec::json::encode', self: 6240 },
        { name: 'malloc.c:malloc', self: 1010 },
      ]),
      bench('connection/publish_ack.json', 1_019_000), // +1.9%: under the limit
    ];
    const g = compareInstructions(baseline, { environment: ENV, benchmarks: now });
    expect(g.passed).toBe(false);
    expect(g.rows.find((r) => r.id === 'connection/publish_ack.json')!.status).toBe('ok');
    expect(g.failures).toHaveLength(1);
    const want =
      'codecs/codec_encode.json_publish_1x100: +2.50% instructions (10000 → 10250), above the +2% limit; ' +
      'grew most: src/codec/json.rs:ably_wasm::codec::json::encode +240 (6000 → 6240), malloc.c:malloc +10';
    expect(g.failures[0]!.slice(0, want.length)).toBe(want);
    expect(instructionsText(g)).toMatch(/REGRESSED/);
    expect(instructionsMarkdown(g)).toMatch(/❌ codecs\/codec_encode/);
  });

  it('a function new to the top list counts from 0; an improvement passes', () => {
    const now = [
      bench('codecs/codec_encode.json_publish_1x100', 11_000, [{ name: 'src/new.rs:slow_path', self: 900 }]),
      bench('connection/publish_ack.json', 900_000),
    ];
    const g = compareInstructions(baseline, { environment: ENV, benchmarks: now });
    expect(g.rows.find((r) => r.id === 'codecs/codec_encode.json_publish_1x100')!.grew).toEqual([
      { name: 'src/new.rs:slow_path', baseline: 0, now: 900 },
    ]);
    expect(g.rows.find((r) => r.id === 'connection/publish_ack.json')!.status).toBe('improved');
  });

  it('a benchmark that disappeared fails; a new one is reported; a toolchain change is flagged', () => {
    const g = compareInstructions(baseline, {
      environment: { ...ENV, rustc: 'rustc 1.96.0' },
      benchmarks: [baseline.benchmarks[0]!, bench('connection/deliver.json', 5)],
    });
    expect(g.passed).toBe(false);
    expect(g.failures.join()).toMatch(/publish_ack\.json: in the baseline but not measured/);
    expect(g.rows.find((r) => r.id === 'connection/deliver.json')!.status).toBe('new');
    expect(g.environmentDiffers).toEqual(['rustc: baseline "rustc 1.95.0", now "rustc 1.96.0"']);
  });

  it('the +2% limit is configurable and must be above 100%', () => {
    const now = [bench('codecs/codec_encode.json_publish_1x100', 10_150), baseline.benchmarks[1]!];
    expect(compareInstructions(baseline, { environment: ENV, benchmarks: now }).passed).toBe(true);
    expect(compareInstructions(baseline, { environment: ENV, benchmarks: now }, 1.01).passed).toBe(false);
    expect(() => compareInstructions(baseline, { environment: ENV, benchmarks: now }, 1)).toThrow();
  });
});

describe('baseline file', () => {
  it('round-trips with one benchmark per line and rejects other files', () => {
    const text = formatInstructionsBaseline(baseline);
    expect(parseInstructionsBaseline(text)).toEqual(baseline);
    expect(text.split('\n').filter((l) => l.startsWith('    {"id":'))).toHaveLength(2);
    expect(() => parseInstructionsBaseline('{"format":"x"}')).toThrow(/not an instruction-count baseline/);
  });
  it('reads the exact gungraun pin from Cargo.toml', () => {
    expect(pinnedGungraun('[dev-dependencies]\ngungraun = "=0.20.0"\n')).toBe('0.20.0');
    expect(() => pinnedGungraun('gungraun = "0.20"')).toThrow(/pin gungraun exactly/);
  });
});
