/**
 * Three-way (four-way) decisions from a paired-ratio CI (docs/method.md#verdicts, after tachometer's
 * faster/slower/unsure, criterion's noise threshold and Pinpoint's SAME/DIFFERENT/UNKNOWN), and
 * the claims under test (docs/method.md#claims).
 */
import { EQUIVALENCE_MARGIN, MEMORY_CLAIM_RATIO, SPEED_CLAIM_RATIO } from './defaults';
import type { ClaimStatus, Direction, Interval, Verdict } from './types';

/**
 * A candidate/reference ratio of the primary value, turned "time-like": below 1 = candidate
 * better. For higher-is-better values (rates) the ratio and its CI are inverted.
 */
export function timeLike(ratio: number, ci: Interval, better: Direction): { ratio: number; ci: Interval } {
  if (better === 'lower') return { ratio, ci };
  return { ratio: 1 / ratio, ci: { lo: 1 / ci.hi, hi: 1 / ci.lo } };
}

/**
 * - `equivalent`: the whole CI lies within ±margin of 1 (a TOST-style equivalence check);
 * - `faster` / `slower`: the CI excludes 1 and the estimate lies beyond the margin;
 * - `unsure`: anything else (too few samples, or a true effect near the margin).
 * `ratio` is candidate/reference of the primary value; `better` says which direction wins.
 */
export function verdict(ratio: number, ci: Interval, better: Direction, margin = EQUIVALENCE_MARGIN): Verdict {
  if (!Number.isFinite(ratio) || !(ci.lo > 0) || !Number.isFinite(ci.hi)) return 'unsure';
  const t = timeLike(ratio, ci, better);
  const lowEdge = 1 / (1 + margin);
  const highEdge = 1 + margin;
  if (t.ci.lo >= lowEdge && t.ci.hi <= highEdge) return 'equivalent';
  if (t.ci.hi < 1 && t.ratio < lowEdge) return 'faster';
  if (t.ci.lo > 1 && t.ratio > highEdge) return 'slower';
  return 'unsure';
}

/** Whether a verdict is final (auto-sampling stops when every verdict of a scenario is). */
export function resolved(v: Verdict): boolean {
  return v !== 'unsure';
}

export type ClaimKind = 'speed' | 'memory';

export interface ClaimDefinition {
  readonly kind: ClaimKind;
  /** The claim as a sentence. */
  readonly text: string;
  /** The time-like ratio (candidate/reference) must be at most this. */
  readonly threshold: number;
}

export const CLAIMS: Record<ClaimKind, ClaimDefinition> = {
  speed: {
    kind: 'speed',
    text: 'Rust ≥40% faster than ably-js (time ≤0.6×, rate ≥1/0.6×)',
    threshold: SPEED_CLAIM_RATIO,
  },
  memory: { kind: 'memory', text: 'Rust uses ≥50% less memory than ably-js (≤0.5×)', threshold: MEMORY_CLAIM_RATIO },
};

/**
 * A claim "candidate's time-like ratio ≤ threshold" holds when the whole CI is at or below the
 * threshold, fails when the whole CI is above it, and is unsure when the CI straddles it.
 */
export function claimStatus(ratio: number, ci: Interval, better: Direction, claim: ClaimDefinition): ClaimStatus {
  if (!Number.isFinite(ratio) || !(ci.lo > 0) || !Number.isFinite(ci.hi)) return 'unsure';
  const t = timeLike(ratio, ci, better);
  if (t.ci.hi <= claim.threshold) return 'holds';
  if (t.ci.lo > claim.threshold) return 'fails';
  return 'unsure';
}
