/** Every tunable of the lab in one place (named constants; tachometer src/defaults.ts). */

/** Verdict margin: a paired ratio CI inside ±2 % is `equivalent` (docs/method.md#verdicts). */
export const EQUIVALENCE_MARGIN = 0.02;
/** Confidence level of every CI the lab reports. */
export const CONFIDENCE = 0.95;
/** Claim thresholds (docs/method.md#claims): Rust ≥40 % faster = time ratio ≤ 0.6 (rate ratio ≥ 1/0.6). */
export const SPEED_CLAIM_RATIO = 0.6;
/** Claim threshold: ≥50 % less memory = memory ratio ≤ 0.5. */
export const MEMORY_CLAIM_RATIO = 0.5;

/** Bootstrap resamples for the per-arm median CI (criterion uses 100k; 2k is plenty for a 95 % CI display). */
export const BOOTSTRAP_RESAMPLES = 2000;
/** Seed of the bootstrap RNG (results are reproducible from the same samples). */
export const BOOTSTRAP_SEED = 0x5eed;

/** Gap between connect samples: Chromium throttles back-to-back connects by ~10 ms (docs/method.md). */
export const CONNECT_GAP_MS = 30;

/** Server-bound flag: server CPU above this fraction of one core during a scenario. */
export const SERVER_BOUND_FRACTION = 0.7;

/** Full run: total budget (s), rounds per scenario. */
export const FULL_BUDGET_S = 900;
export const FULL_WARMUP_ROUNDS = 2;
export const FULL_MIN_ROUNDS = 6;
export const FULL_MAX_ROUNDS = 60;

/** --quick: every scenario with a small budget, whole run ≤ 3 min on 2 cores. */
export const QUICK_BUDGET_S = 110;
export const QUICK_WARMUP_ROUNDS = 1;
export const QUICK_MIN_ROUNDS = 4;
export const QUICK_MAX_ROUNDS = 12;

/** A scenario's sample that does not finish in time fails the scenario (not the run). */
export const SAMPLE_TIMEOUT_MS = 30_000;
/** The CLI finds an arm worker's OS thread by its CPU jump during a busy spin this long. */
export const THREAD_SPIN_MS = 250;
/** …doubling the spin up to this many times when the machine is too busy for it to stand out. */
export const THREAD_SPIN_ATTEMPTS = 4;
/** How long closing the helper publisher may take at the end of a run. */
export const HELPER_CLOSE_TIMEOUT_MS = 2000;
/** After a scenario failed, an arm worker that does not answer within this is replaced. */
export const ARM_ALIVE_TIMEOUT_MS = 5000;
/** How long a scenario's release (closing its clients) may take before the runner moves on. */
export const RELEASE_TIMEOUT_MS = 5000;
/** A stream waits this long without a new message before counting the rest as lost. */
export const STREAM_IDLE_TIMEOUT_MS = 3000;

/** Permalink: refuse payloads that decompress beyond this (hostile links). */
export const PERMALINK_MAX_DECOMPRESSED = 2 * 1024 * 1024;
/** Permalink: refuse hashes longer than this before decoding anything. */
export const PERMALINK_MAX_ENCODED = 1024 * 1024;
/** Samples are stored rounded to this many significant digits (short links, charts do not need more). */
export const SAMPLE_SIGNIFICANT_DIGITS = 4;
