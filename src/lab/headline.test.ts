import { describe, expect, it } from 'vitest';
import { changeText, claimCell, runSummary, scenarioHeadline, stoppedByText } from './headline';
import type { ClaimV1, ComparisonV1, LabResultsV1, ScenarioV1 } from './results';

function cmp(
  candidate: string,
  reference: string,
  ratio: number,
  lo: number,
  hi: number,
  verdict: ComparisonV1['verdict'],
): ComparisonV1 {
  return { candidate, reference, ratio, ci: [lo, hi], n: 6, method: 't-log-ratio', verdict };
}

function scenario(over: Partial<ScenarioV1>): ScenarioV1 {
  return {
    id: 'publish-ack-latency',
    protocol: 'json',
    title: 't',
    group: 'latency',
    unit: 'ms',
    better: 'lower',
    status: 'ok',
    reason: null,
    rounds: 6,
    warmupRounds: 1,
    stoppedBy: 'resolved',
    elapsedS: 1,
    arms: [],
    comparisons: [],
    claims: [],
    server: { cpuFraction: null, bound: false },
    ...over,
  };
}

const claim = (kind: 'speed' | 'memory', status: ClaimV1['status']): ClaimV1 => ({
  kind,
  text: kind,
  candidate: 'rust',
  reference: 'js',
  threshold: kind === 'speed' ? 0.6 : 0.5,
  ratio: null,
  ci: [null, null],
  status,
});

describe('changeText: one scale, one wording', () => {
  it('says the issue examples', () => {
    expect(changeText(1.09, [1.01, 1.16], false)).toBe('9% slower [1–16%]');
    expect(changeText(0.08, [0.08, 0.09], true)).toBe('uses 92% less memory [91–92%]');
  });
  it('shows a crossing interval with a real minus and "to", multiples from 2×, small changes with a decimal', () => {
    expect(changeText(1.03, [0.98, 1.08], false)).toBe('3% slower [−2 to 8%]');
    expect(changeText(0.95, [0.89, 1.02], false)).toBe('5% faster [−2 to 11%]');
    expect(changeText(2.6, [2.1, 3.2], false)).toBe('2.6× slower [2.1–3.2×]');
    expect(changeText(1.3, [1.2, 1.4], true)).toBe('uses 30% more memory [20–40%]');
    expect(changeText(0.996, [0.99, 1.002], false)).toBe('0.4% faster [−0.2 to 1%]');
    expect(changeText(null, [null, null], false)).toBe('–');
    expect(changeText(0.5, [null, null], false)).toBe('50% faster');
  });
});

describe('scenarioHeadline', () => {
  it('uses rust vs js, inverts rates so "faster" is time-like, and keeps raw pairs as details', () => {
    const s = scenario({
      unit: 'msg/s',
      better: 'higher',
      group: 'throughput',
      comparisons: [cmp('rust', 'js', 1.25, 1.1, 1.4, 'faster'), cmp('rust', 'raw', 0.5, 0.4, 0.6, 'slower')],
    });
    const h = scenarioHeadline(s);
    // rate ×1.25 = 20% less time per message, the scale of the "≥40% faster" claim.
    expect(h.text).toBe('rust 20% faster [9–29%]');
    expect(h.word).toBe('faster');
  });
  it('says less memory for memory scenarios, and the failure for a failed one', () => {
    const m = scenario({
      group: 'memory',
      unit: 'bytes',
      comparisons: [cmp('rust', 'js', 0.08, 0.08, 0.09, 'faster')],
    });
    expect(scenarioHeadline(m).text).toBe('rust uses 92% less memory [91–92%]');
    expect(scenarioHeadline(m).word).toBe('less memory');
    const f = scenario({ status: 'failed', reason: 'integrity violated on js' });
    expect(scenarioHeadline(f).text).toBe('failed: integrity violated on js');
  });
  it('falls back to the first pair without a rust arm', () => {
    expect(scenarioHeadline(scenario({ comparisons: [cmp('js', 'raw', 1.5, 1.4, 1.6, 'slower')] })).text).toBe(
      'js 50% slower [40–60%]',
    );
  });
});

describe('claimCell', () => {
  it('shows the status and its target, never a second number', () => {
    const s = scenario({ claims: [claim('speed', 'fails')] });
    expect(claimCell(s, s.claims[0])).toBe('fails (≥40% faster)');
    expect(claimCell(s, claim('memory', 'holds'))).toBe('holds (≥50% less memory)');
    expect(claimCell(s, claim('speed', 'fails'))).not.toMatch(/\d\.\d/);
  });
  it('says why a claim is n/a: a skipped scenario is not "no rust arm" when rust ran', () => {
    const skipped = scenario({
      status: 'skipped',
      reason: 'exceeds 64 KiB',
      arms: [],
      claims: [claim('speed', 'n/a')],
    });
    expect(claimCell(skipped, skipped.claims[0])).toBe('n/a (scenario skipped)');
    const noRust = scenario({
      arms: [{ arm: 'js' } as never, { arm: 'raw' } as never],
      claims: [claim('speed', 'n/a')],
    });
    expect(claimCell(noRust, noRust.claims[0])).toBe('n/a (no rust arm)');
  });
});

describe('runSummary', () => {
  it('counts outcomes and claims in one line', () => {
    const r = {
      scenarios: [
        scenario({ comparisons: [cmp('rust', 'js', 0.8, 0.7, 0.9, 'faster')], claims: [claim('speed', 'fails')] }),
        scenario({ comparisons: [cmp('rust', 'js', 0.5, 0.45, 0.55, 'faster')], claims: [claim('speed', 'holds')] }),
        scenario({ comparisons: [cmp('rust', 'js', 1.2, 1.1, 1.3, 'slower')], claims: [claim('speed', 'fails')] }),
        scenario({ comparisons: [cmp('rust', 'js', 1, 0.9, 1.1, 'unsure')], claims: [claim('speed', 'unsure')] }),
        scenario({
          group: 'memory',
          unit: 'bytes',
          comparisons: [cmp('rust', 'js', 0.1, 0.09, 0.11, 'faster')],
          claims: [claim('memory', 'holds')],
        }),
        scenario({ status: 'skipped', reason: 'x', claims: [claim('speed', 'n/a')] }),
      ],
    } as LabResultsV1;
    expect(runSummary(r)).toBe(
      'rust vs js: 2 faster, 1 less memory, 1 slower, 1 unsure, 1 skipped; claims: 2 hold, 2 fail, 1 unsure, 1 n/a',
    );
  });
});

describe('stoppedByText', () => {
  it('says in words why sampling stopped, "1 round" singular', () => {
    expect(stoppedByText({ stoppedBy: 'max-rounds', rounds: 12 })).toBe(
      '12 rounds; reached the round limit with a verdict still unsure',
    );
    expect(stoppedByText({ stoppedBy: 'resolved', rounds: 1 })).toBe('1 round; stopped once every verdict was decided');
  });
});
