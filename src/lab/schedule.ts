/**
 * The sampling schedule (docs/method.md#rounds-and-the-abba-schedule): arms never run concurrently; each round runs every
 * arm once, in counterbalanced order (AB, BA, AB, … — ABBA; with three arms all six
 * permutations, each followed by its reverse); warm-up rounds are discarded; after a minimum
 * number of rounds, more rounds are added until every paired verdict resolves or the scenario's
 * time budget ends (tachometer's auto-sampling). Each look's CI is a repeated confidence
 * interval (sequential.ts), so stopping at the first resolved look keeps the overall error rate.
 * With `untilBudget` (the regression gate's runs) rounds go on to the budget whatever the verdicts.
 */
import { CONFIDENCE } from './defaults';
import { perLookConfidence } from './sequential';
import { pairedRatio } from './stats';
import type { Direction, Verdict } from './types';
import { verdict } from './verdict';

function permutations(xs: number[]): number[][] {
  if (xs.length <= 1) return [xs];
  const out: number[][] = [];
  for (let i = 0; i < xs.length; i++) {
    const rest = [...xs.slice(0, i), ...xs.slice(i + 1)];
    for (const p of permutations(rest)) out.push([xs[i]!, ...p]);
  }
  return out;
}

/**
 * Orders for consecutive rounds: each permutation immediately followed by its reverse, so linear
 * drift cancels within every pair of rounds (ABBA) and, over a full cycle, each arm runs in every
 * position equally often. For 2 arms: [0,1], [1,0].
 */
export function counterbalancedOrders(armCount: number): number[][] {
  const base = Array.from({ length: armCount }, (_, i) => i);
  const seen = new Set<string>();
  const out: number[][] = [];
  for (const p of permutations(base)) {
    const key = p.join();
    if (seen.has(key)) continue;
    const r = [...p].reverse();
    seen.add(key);
    seen.add(r.join());
    out.push(p);
    if (r.join() !== key) out.push(r);
  }
  return out;
}

/** The arm order of round `round` (warm-up rounds included in the count). */
export function orderForRound(armCount: number, round: number): number[] {
  const orders = counterbalancedOrders(armCount);
  return orders[round % orders.length]!;
}

export interface ScheduleOptions {
  readonly warmupRounds: number;
  /** Rounds before the first stop check (≥ 2: a CI needs two pairs). */
  readonly minRounds: number;
  readonly maxRounds: number;
  /** Absolute time (same clock as `now`) after which no new round starts once minRounds are done. */
  readonly deadline: number;
  /** Pairs [referenceArm, candidateArm] whose verdicts must resolve. */
  readonly comparisons: ReadonlyArray<readonly [number, number]>;
  readonly better: Direction;
  readonly margin?: number;
  /**
   * Sample on after every verdict resolves, until the deadline or maxRounds: what the regression
   * gate wants (it needs the size of a change, not only its direction). The stop then depends on
   * time alone, not on the values, so there is one look, and its CI is the plain CONFIDENCE one.
   */
  readonly untilBudget?: boolean;
  /** Nominal confidence of each look's CI (default: perLookConfidence(minRounds, maxRounds), or CONFIDENCE untilBudget). */
  readonly confidence?: number;
}

export interface ScheduleHooks {
  /** Takes one sample of arm `arm`; returns its primary value. Throws to fail the scenario. */
  sample(arm: number, round: number, warmup: boolean): Promise<number>;
  now(): number;
  /** After each measured round (progress). */
  onRound?(info: { round: number; measured: number; verdicts: Verdict[]; row: readonly number[] }): void;
  /** Asked before every round: false stops (e.g. the user pressed Stop). */
  shouldContinue?(): boolean;
}

export type StopReason = 'resolved' | 'budget' | 'max-rounds' | 'stopped';

export interface ScheduleOutcome {
  /** values[arm][i] = the arm's primary value in measured round i (paired by index). */
  readonly values: number[][];
  readonly warmupRounds: number;
  readonly stoppedBy: StopReason;
  readonly verdicts: Verdict[];
  /** Nominal confidence of each look's CI (the level the verdicts used). */
  readonly confidence: number;
}

/** Current verdict of each comparison on the values so far. */
export function currentVerdicts(
  values: number[][],
  opts: Pick<ScheduleOptions, 'comparisons' | 'better' | 'margin' | 'confidence'>,
): Verdict[] {
  return opts.comparisons.map(([ref, cand]) => {
    const r = pairedRatio(values[ref]!, values[cand]!, opts.confidence);
    return r.n >= 2 ? verdict(r.ratio, r.ci, opts.better, opts.margin) : 'unsure';
  });
}

/** Runs rounds until verdicts resolve or the budget ends (tachometer src/runner.ts shape). */
export async function runSchedule(
  armCount: number,
  opts: ScheduleOptions,
  hooks: ScheduleHooks,
): Promise<ScheduleOutcome> {
  const values: number[][] = Array.from({ length: armCount }, () => []);
  const oneLook = opts.untilBudget ? CONFIDENCE : perLookConfidence(opts.minRounds, opts.maxRounds);
  opts = { ...opts, confidence: opts.confidence ?? oneLook };
  let round = 0;
  for (; round < opts.warmupRounds; round++) {
    if (hooks.shouldContinue && !hooks.shouldContinue())
      return {
        values,
        warmupRounds: round,
        stoppedBy: 'stopped',
        verdicts: currentVerdicts(values, opts),
        confidence: opts.confidence!,
      };
    for (const arm of orderForRound(armCount, round)) await hooks.sample(arm, round, true);
  }
  const minRounds = Math.max(2, opts.minRounds);
  let verdicts: Verdict[] = opts.comparisons.map(() => 'unsure');
  let stoppedBy: StopReason = 'max-rounds';
  for (let measured = 0; measured < opts.maxRounds; measured++, round++) {
    if (measured >= minRounds) {
      if (!opts.untilBudget && verdicts.every((v) => v !== 'unsure')) {
        stoppedBy = 'resolved';
        break;
      }
      if (hooks.now() >= opts.deadline) {
        stoppedBy = 'budget';
        break;
      }
    }
    if (hooks.shouldContinue && !hooks.shouldContinue()) {
      stoppedBy = 'stopped';
      break;
    }
    const row = new Array<number>(armCount);
    for (const arm of orderForRound(armCount, round)) row[arm] = await hooks.sample(arm, round, false);
    for (let a = 0; a < armCount; a++) values[a]!.push(row[a]!);
    verdicts = currentVerdicts(values, opts);
    hooks.onRound?.({ round, measured: measured + 1, verdicts, row });
  }
  return { values, warmupRounds: opts.warmupRounds, stoppedBy, verdicts, confidence: opts.confidence! };
}

/** Splits what is left of a run's budget over the scenarios still to run (weights ≥ 0). */
export function scenarioDeadline(now: number, runDeadline: number, remainingWeights: readonly number[]): number {
  const total = remainingWeights.reduce((a, b) => a + b, 0);
  const share = total > 0 ? (remainingWeights[0] ?? 0) / total : 1;
  return now + Math.max(0, runDeadline - now) * share;
}
