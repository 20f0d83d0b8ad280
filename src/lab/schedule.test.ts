import { describe, expect, it } from 'vitest';
import { counterbalancedOrders, orderForRound, runSchedule, scenarioDeadline } from './schedule';
import { mulberry32 } from './stats';

describe('counterbalanced orders', () => {
  it('two arms alternate AB, BA (ABBA)', () => {
    expect([0, 1, 2, 3].map((r) => orderForRound(2, r))).toEqual([
      [0, 1],
      [1, 0],
      [0, 1],
      [1, 0],
    ]);
  });
  it('three arms: all six permutations, each followed by its reverse; every arm in every position twice', () => {
    const orders = counterbalancedOrders(3);
    expect(orders).toHaveLength(6);
    expect(new Set(orders.map((o) => o.join())).size).toBe(6);
    for (let i = 0; i < 6; i += 2) expect(orders[i + 1]).toEqual([...orders[i]!].reverse());
    for (let pos = 0; pos < 3; pos++)
      for (let arm = 0; arm < 3; arm++) expect(orders.filter((o) => o[pos] === arm)).toHaveLength(2);
  });
});

/** A synthetic two-arm benchmark: arm 1 takes `ratio` × arm 0's time, both with shared drift and noise. */
function synthetic(ratio: number, noise: number, seed: number) {
  const rand = mulberry32(seed);
  const calls: { arm: number; warmup: boolean }[] = [];
  let clock = 0;
  return {
    calls,
    hooks: {
      now: () => clock,
      async sample(arm: number, _round: number, warmup: boolean) {
        calls.push({ arm, warmup });
        clock += 100;
        const base = 10 * (1 + 0.1 * Math.sin(clock / 1000)); // slow drift
        return base * (arm === 1 ? ratio : 1) * (1 + noise * (rand() - 0.5));
      },
    },
  };
}

describe('runSchedule', () => {
  it('discards warm-up, never runs arms concurrently, and stops once the verdict resolves', async () => {
    const s = synthetic(0.5, 0.05, 1);
    let inFlight = 0;
    let maxInFlight = 0;
    const out = await runSchedule(
      2,
      { warmupRounds: 2, minRounds: 3, maxRounds: 50, deadline: Infinity, comparisons: [[0, 1]], better: 'lower' },
      {
        ...s.hooks,
        async sample(arm, round, warmup) {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          const v = await s.hooks.sample(arm, round, warmup);
          inFlight--;
          return v;
        },
      },
    );
    expect(maxInFlight).toBe(1);
    expect(s.calls.filter((c) => c.warmup)).toHaveLength(4);
    expect(out.stoppedBy).toBe('resolved');
    expect(out.verdicts).toEqual(['faster']);
    expect(out.values[0]).toHaveLength(3);
    expect(out.values[1]).toHaveLength(3);
  });

  it("reports each measured round's values per arm (live charts), warm-up excluded", async () => {
    const s = synthetic(0.5, 0.05, 3);
    const rows: number[][] = [];
    const out = await runSchedule(
      2,
      { warmupRounds: 1, minRounds: 3, maxRounds: 5, deadline: Infinity, comparisons: [[0, 1]], better: 'lower' },
      {
        ...s.hooks,
        onRound: ({ row }) => rows.push([...row]),
      },
    );
    expect(rows).toHaveLength(out.values[0]!.length);
    expect(rows.map((r) => r[0])).toEqual(out.values[0]);
    expect(rows.map((r) => r[1])).toEqual(out.values[1]);
  });

  it('keeps sampling an unresolvable effect until max rounds or the budget', async () => {
    const s = synthetic(1.02, 0.4, 2); // a true 2 % effect in 40 % noise: never resolves
    const byMax = await runSchedule(
      2,
      { warmupRounds: 0, minRounds: 4, maxRounds: 8, deadline: Infinity, comparisons: [[0, 1]], better: 'lower' },
      s.hooks,
    );
    expect(byMax.stoppedBy).toBe('max-rounds');
    expect(byMax.values[0]).toHaveLength(8);
    const t = synthetic(1.02, 0.4, 3);
    const byBudget = await runSchedule(
      2,
      { warmupRounds: 0, minRounds: 4, maxRounds: 1000, deadline: 1000, comparisons: [[0, 1]], better: 'lower' },
      t.hooks,
    );
    expect(byBudget.stoppedBy).toBe('budget');
    expect(byBudget.values[0]!.length).toBeLessThan(10);
  });

  // The regression gate needs the size of a change, not only its direction: stopping at the
  // first resolved verdict left it 4 rounds and a wide per-look interval on every clear pair.
  it('untilBudget: samples on after the verdict resolves, to the deadline, and reports the one-look 95% CI', async () => {
    const opts = {
      warmupRounds: 0,
      minRounds: 4,
      maxRounds: 60,
      comparisons: [[0, 1]] as const,
      better: 'lower',
    } as const;
    const byBudget = await runSchedule(
      2,
      { ...opts, deadline: 2000, untilBudget: true },
      synthetic(0.5, 0.05, 1).hooks,
    );
    expect(byBudget.verdicts).toEqual(['faster']);
    expect(byBudget.stoppedBy).toBe('budget');
    expect(byBudget.values[0]).toHaveLength(10); // 200 ms a round: rounds start until the 2,000 ms deadline
    expect(byBudget.confidence).toBe(0.95);
    const byMax = await runSchedule(
      2,
      { ...opts, deadline: Infinity, untilBudget: true },
      synthetic(0.5, 0.05, 1).hooks,
    );
    expect(byMax.stoppedBy).toBe('max-rounds');
    expect(byMax.values[0]).toHaveLength(60);
    // Sequential sampling, for contrast: stops at the first look where the verdict resolved, wider per look.
    const sequential = await runSchedule(2, { ...opts, deadline: 2000 }, synthetic(0.5, 0.05, 1).hooks);
    expect(sequential.stoppedBy).toBe('resolved');
    expect(sequential.values[0]).toHaveLength(4);
    expect(sequential.confidence).toBeGreaterThan(0.98);
  });

  it('an A/A comparison of identical low-noise arms resolves to equivalent', async () => {
    const s = synthetic(1, 0.01, 4);
    const out = await runSchedule(
      2,
      { warmupRounds: 1, minRounds: 4, maxRounds: 40, deadline: Infinity, comparisons: [[0, 1]], better: 'lower' },
      s.hooks,
    );
    expect(out.verdicts).toEqual(['equivalent']);
  });

  it('a sample that throws fails the schedule (the runner turns it into a failed scenario)', async () => {
    await expect(
      runSchedule(
        2,
        { warmupRounds: 0, minRounds: 2, maxRounds: 4, deadline: Infinity, comparisons: [[0, 1]], better: 'lower' },
        {
          now: () => 0,
          async sample(arm) {
            if (arm === 1) throw new Error('integrity violated');
            return 1;
          },
        },
      ),
    ).rejects.toThrow('integrity violated');
  });

  it('splits the remaining budget by weight', () => {
    expect(scenarioDeadline(0, 100, [1, 1, 2])).toBe(25);
    expect(scenarioDeadline(50, 40, [1])).toBe(50);
  });
});
