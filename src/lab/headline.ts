/**
 * The answer at a glance (pure, shared by page, CLI and Markdown so the wording cannot drift):
 * one line per scenario for the comparison that matters — "rust 9% slower [1–16%]",
 * "rust uses 92% less memory [91–92%]" — and one line per run — "rust vs js: 3 faster,
 * 1 slower, 14 unsure; claims: 2 hold, 15 fail, 2 unsure".
 *
 * Every change is time-like (docs/method.md#claims): "X% faster" means X% less time per
 * operation (for rates, 1 − js/rust), which is the scale the claims use ("≥40% faster" =
 * time ratio ≤ 0.6). So a claim and the change it is judged on always show one number.
 */
import type { ClaimV1, ComparisonV1, LabResultsV1, ScenarioV1 } from './results';
import { comparisonPairs } from './report';
import type { Verdict } from './types';
import { timeLike } from './verdict';

export type Outcome = Verdict | 'failed' | 'skipped';

/** Memory scenarios say "uses less/more memory"; the others "faster/slower". */
export const isMemory = (s: Pick<ScenarioV1, 'group' | 'unit'>): boolean => s.group === 'memory' || s.unit === 'bytes';

/** Words for the better and the worse direction; `short` drops "memory" (tables whose rows say it). */
function words(memory: boolean, short = false): { better: string; worse: string } {
  if (!memory) return { better: 'faster', worse: 'slower' };
  return short ? { better: 'less', worse: 'more' } : { better: 'less memory', worse: 'more memory' };
}

/** A verdict as shown beside a change: `faster`/`slower` become `less memory`/`more memory` for memory. */
export function verdictWord(v: Outcome, memory: boolean, short = false): string {
  if (v === 'faster') return words(memory, short).better;
  if (v === 'slower') return words(memory, short).worse;
  return v;
}

/** A percentage: one decimal below 1%, whole numbers above; a real minus sign. */
function pct(x: number): string {
  const a = Math.abs(x);
  const s = a < 1 ? a.toFixed(1).replace(/\.0$/, '') : String(Math.round(a));
  return x < 0 && s !== '0' ? `−${s}` : s;
}

function times(x: number): string {
  return x >= 10 ? x.toFixed(0) : x.toFixed(1);
}

/** An interval: "[1–16%]", or "[−2 to 11%]" once a bound is negative (a dash would read as a minus). */
function range(lo: string, hi: string, unit: string): string {
  return lo.startsWith('−') || hi.startsWith('−') ? `[${lo} to ${hi}${unit}]` : `[${lo}–${hi}${unit}]`;
}

/**
 * A time-like ratio (below 1 = candidate better) as a change with a direction word and its
 * interval on the same scale: 0.91 [0.84–0.99] → "9% faster [1–16%]"; 1.09 → "9% slower";
 * from 2× on, multiples: 2.6 → "2.6× slower [2.1–3.2×]". An interval that crosses parity
 * shows a negative bound: "3% slower [−2 to 8%]". Memory: "uses 92% less memory [91–92%]".
 */
export function changeText(
  t: number | null,
  ci: [number | null, number | null],
  memory: boolean,
  short = false,
): string {
  if (t === null || !Number.isFinite(t) || t <= 0) return '–';
  const w = words(memory, short);
  const verb = memory && !short ? 'uses ' : '';
  const [lo, hi] = ci;
  const hasCi = lo !== null && hi !== null && Number.isFinite(lo) && Number.isFinite(hi);
  if (t < 1) {
    const r = hasCi ? ` ${range(pct((1 - hi) * 100), pct((1 - lo) * 100), '%')}` : '';
    return `${verb}${pct((1 - t) * 100)}% ${w.better}${r}`;
  }
  if (t < 2) {
    const r = hasCi ? ` ${range(pct((lo - 1) * 100), pct((hi - 1) * 100), '%')}` : '';
    return `${verb}${pct((t - 1) * 100)}% ${w.worse}${r}`;
  }
  const r = hasCi ? ` [${times(lo)}–${times(hi)}×]` : '';
  return `${verb}${times(t)}× ${w.worse}${r}`;
}

/** A comparison's time-like ratio and CI (rates inverted), as the claims are judged. */
export function timeLikeOf(
  c: Pick<ComparisonV1, 'ratio' | 'ci'>,
  s: Pick<ScenarioV1, 'better'>,
): { ratio: number | null; ci: [number | null, number | null] } {
  if (c.ratio === null) return { ratio: null, ci: [null, null] };
  const [lo, hi] = c.ci;
  const t = timeLike(c.ratio, { lo: lo ?? Number.NaN, hi: hi ?? Number.NaN }, s.better);
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return { ratio: t.ratio, ci: lo === null || hi === null ? [null, null] : [finite(t.ci.lo), finite(t.ci.hi)] };
}

/** "9% slower [1–16%]" for one comparison of a scenario (no arm name); `short`: "92% less [91–92%]". */
export function comparisonChange(s: ScenarioV1, c: ComparisonV1, short = false): string {
  const t = timeLikeOf(c, s);
  return changeText(t.ratio, t.ci, isMemory(s), short);
}

/** Tails worse than this (candidate/reference p95 or p99) are called out beside the median verdict. */
export const TAIL_WORSE_BY = 0.1;

/**
 * A latency scenario whose headline candidate has a worse p95 or p99 than its reference (by more
 * than TAIL_WORSE_BY): "rust p99 3.1 vs 2.0 ms (+55%)". A median verdict alone would hide it.
 * Percentiles are medians over samples without an interval, so this is a flag to read, not a verdict.
 */
export function tailWarning(s: ScenarioV1, short = false): string | null {
  const c = headlineComparison(s);
  if (!c || s.status !== 'ok') return null;
  const cand = s.arms.find((a) => a.arm === c.candidate)?.latency;
  const ref = s.arms.find((a) => a.arm === c.reference)?.latency;
  if (!cand || !ref) return null;
  const worse = (['p95', 'p99'] as const).filter((p) => ref[p] > 0 && cand[p] / ref[p] > 1 + TAIL_WORSE_BY);
  if (!worse.length) return null;
  const n = (x: number) => Number(x.toPrecision(3)).toString();
  const by = (p: 'p95' | 'p99') => `+${pct((cand[p] / ref[p] - 1) * 100)}%`;
  if (short) return `${c.candidate} ${worse.map((p) => `${p} ${by(p)}`).join(', ')} vs ${c.reference}`;
  return `${c.candidate} ${worse
    .map((p) => `${p} ${n(cand[p])} vs ${n(ref[p])} ms (+${pct((cand[p] / ref[p] - 1) * 100)}%)`)
    .join(', ')}`;
}

/** The comparison a scenario's headline is about: rust vs js when both ran, else the first one. */
export function headlineComparison(s: ScenarioV1): ComparisonV1 | undefined {
  return s.comparisons.find((c) => c.candidate === 'rust' && c.reference === 'js') ?? s.comparisons[0];
}

export interface Headline {
  candidate: string | null;
  reference: string | null;
  /** "9% slower [1–16%]" (or the failure/skip reason). */
  change: string;
  /** "rust 9% slower [1–16%]" / "rust uses 92% less memory [91–92%]". */
  text: string;
  outcome: Outcome;
  /** The verdict in the scenario's words: faster, slower, less memory, more memory, equivalent, unsure, failed, skipped. */
  word: string;
}

export function scenarioHeadline(s: ScenarioV1): Headline {
  const memory = isMemory(s);
  const c = headlineComparison(s);
  if (s.status !== 'ok') {
    const change = s.reason ?? s.status;
    return {
      candidate: c?.candidate ?? null,
      reference: c?.reference ?? null,
      change,
      text: `${s.status}: ${change}`,
      outcome: s.status,
      word: s.status,
    };
  }
  if (!c)
    return {
      candidate: null,
      reference: null,
      change: '–',
      text: 'no comparison (one arm)',
      outcome: 'unsure',
      word: '–',
    };
  const change = comparisonChange(s, c);
  return {
    candidate: c.candidate,
    reference: c.reference,
    change,
    text: `${c.candidate} ${change}`,
    outcome: c.verdict,
    word: verdictWord(c.verdict, memory),
  };
}

/** "≥40% faster" / "≥50% less memory": the claim's threshold on the same scale as the change. */
export function claimTarget(c: Pick<ClaimV1, 'kind' | 'threshold'>): string {
  return `≥${pct((1 - c.threshold) * 100)}% ${c.kind === 'memory' ? 'less memory' : 'faster'}`;
}

/**
 * A claim's status with its target, never a number of its own (the change beside it is the
 * number): "holds (≥40% faster)". A claim that could not be judged says why: the scenario was
 * skipped or failed, or the run had no rust or js arm.
 */
export function claimCell(s: ScenarioV1, c: ClaimV1 | undefined): string {
  if (!c) return '–';
  if (c.status !== 'n/a') return `${c.status} (${claimTarget(c)})`;
  return `n/a (${claimNa(s)})`;
}

/** Why a claim is n/a: the scenario did not run to the end, or an arm of the pair is missing. */
export function claimNa(s: ScenarioV1): string {
  if (s.status === 'skipped') return 'scenario skipped';
  if (s.status === 'failed') return 'scenario failed';
  const ran = new Set(s.arms.map((a) => a.arm));
  const missing = ['rust', 'js'].filter((a) => !ran.has(a));
  return missing.length ? `no ${missing.join('/')} arm` : 'not judged';
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The run in one line: "rust vs js: 3 faster, 1 slower, 14 unsure; claims: 2 hold, 15 fail,
 * 2 unsure". Counts only what occurred; memory outcomes in their own words.
 */
export function runSummary(r: LabResultsV1): string {
  const counts = new Map<string, number>();
  const pairs = new Map<string, number>();
  for (const s of r.scenarios) {
    const h = scenarioHeadline(s);
    if (h.candidate && h.reference) {
      const pair = `${h.candidate} vs ${h.reference}`;
      pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
    }
    counts.set(h.word, (counts.get(h.word) ?? 0) + 1);
  }
  const order = ['faster', 'less memory', 'slower', 'more memory', 'equivalent', 'unsure', 'failed', 'skipped', '–'];
  const outcome = order
    .filter((w) => counts.get(w))
    .map((w) => `${counts.get(w)} ${w === '–' ? 'without a comparison' : w}`)
    .join(', ');
  const subject = [...pairs.keys()].join(' / ') || 'scenarios';
  const claims = r.scenarios.flatMap((s) => s.claims);
  const c = (st: string) => claims.filter((x) => x.status === st).length;
  const claimText = claims.length
    ? `; claims: ${[
        c('holds') && `${c('holds')} hold${c('holds') === 1 ? 's' : ''}`,
        c('fails') && `${c('fails')} fail${c('fails') === 1 ? 's' : ''}`,
        c('unsure') && `${c('unsure')} unsure`,
        c('n/a') && `${c('n/a')} n/a`,
      ]
        .filter(Boolean)
        .join(', ')}`
    : '';
  return `${subject}: ${outcome || plural(0, 'scenario', 'scenarios')}${claimText}`;
}

/**
 * The pairs a run compares, named, in the order the runner reports their verdicts (its progress
 * events carry bare verdicts): comparisonPairs over the arm ids the run's rounds report.
 */
export function progressPairs(armIds: readonly string[], aa: boolean): [candidate: string, reference: string][] {
  return comparisonPairs(
    armIds.map((id) => ({ id, sdk: id.replace(/'$/, '') as 'rust' })),
    aa,
  ).map(([reference, candidate]) => [candidate, reference]);
}

/** "rust vs js: slower" for the headline pair of a progress event (rust vs js when present, else the first pair). */
export function progressVerdict(
  armIds: readonly string[],
  aa: boolean,
  verdicts: readonly Verdict[],
  memory: boolean,
): string | null {
  const pairs = progressPairs(armIds, aa);
  if (!pairs.length || verdicts.length !== pairs.length) return null;
  const i = Math.max(
    0,
    pairs.findIndex(([c, r]) => c === 'rust' && r === 'js'),
  );
  const [c, r] = pairs[i]!;
  return `${c} vs ${r}: ${verdictWord(verdicts[i]!, memory)}`;
}

/** Every pair's verdict, named: "rust vs js slower · rust vs raw slower · js vs raw faster". */
export function namedVerdicts(
  armIds: readonly string[],
  aa: boolean,
  verdicts: readonly Verdict[],
  memory: boolean,
): string {
  const pairs = progressPairs(armIds, aa);
  if (verdicts.length !== pairs.length) return verdicts.join(', ');
  return pairs.map(([c, r], i) => `${c} vs ${r} ${verdictWord(verdicts[i]!, memory)}`).join(' · ');
}

/** Why a scenario stopped sampling, in words (the schema's `stoppedBy` codes). */
export function stoppedByText(s: Pick<ScenarioV1, 'stoppedBy' | 'rounds'>): string {
  const rounds = `${s.rounds} ${s.rounds === 1 ? 'round' : 'rounds'}`;
  switch (s.stoppedBy) {
    case 'resolved':
      return `${rounds}; stopped once every verdict was decided`;
    case 'max-rounds':
      return `${rounds}; reached the round limit with a verdict still unsure`;
    case 'budget':
      return `${rounds}; its share of the time budget ran out`;
    case 'stopped':
      return `${rounds}; stopped by hand`;
    case 'failed':
      return `${rounds} before it failed`;
    case 'skipped':
      return 'not run';
  }
}
