/** Message-stream integrity: lost, duplicated, reordered — checked by every throughput/recovery scenario. */
import type { Integrity } from './types';

export class SequenceTracker {
  private readonly seen: Uint8Array;
  private unique = 0;
  private total = 0;
  private duplicated = 0;
  private reordered = 0;
  private max = -1;
  /** The first few anomalies, for failure reasons: "dup 5 @1000" = seq 5 again as the 1001st message. */
  readonly anomalies: string[] = [];
  firstAt = NaN;
  lastAt = NaN;
  private waiter: { target: number; resolve(): void } | undefined;

  constructor(
    readonly expected: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.seen = new Uint8Array(expected);
  }

  /** Records sequence number `seq` (0-based; anything outside [0, expected) counts as a duplicate). */
  add(seq: number): void {
    const t = this.now();
    if (this.total === 0) this.firstAt = t;
    this.lastAt = t;
    this.total++;
    if (!(seq >= 0 && seq < this.expected) || this.seen[seq]) {
      this.duplicated++;
      if (this.anomalies.length < 5) this.anomalies.push(`dup ${seq} @${this.total - 1}`);
    } else {
      this.seen[seq] = 1;
      this.unique++;
      if (seq < this.max) {
        this.reordered++;
        if (this.anomalies.length < 5) this.anomalies.push(`late ${seq} @${this.total - 1}`);
      }
    }
    if (seq > this.max) this.max = seq;
    if (this.waiter && this.total >= this.waiter.target) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve();
    }
  }

  get received(): number {
    return this.total;
  }

  /** Resolves when `target` messages (duplicates included) arrived, or after `idleMs` without a new one. */
  async waitFor(target: number, idleMs: number): Promise<void> {
    if (this.total >= target) return;
    const reached = new Promise<void>((resolve) => (this.waiter = { target, resolve }));
    for (;;) {
      const before = this.total;
      const timedOut = await Promise.race([
        reached.then(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(true), idleMs)),
      ]);
      if (!timedOut || this.total >= target) return;
      if (this.total === before) {
        this.waiter = undefined;
        return;
      }
    }
  }

  result(): Integrity {
    return {
      expected: this.expected,
      received: this.unique,
      lost: this.expected - this.unique,
      duplicated: this.duplicated,
      reordered: this.reordered,
      ...(this.anomalies.length ? { detail: this.anomalies.join(', ') } : {}),
    };
  }
}

export function integrityOk(i: Integrity): boolean {
  return i.lost === 0 && i.duplicated === 0 && i.reordered === 0;
}

/** Sums integrity over samples. */
export function addIntegrity(a: Integrity | undefined, b: Integrity): Integrity {
  if (!a) return b;
  return {
    expected: a.expected + b.expected,
    received: a.received + b.received,
    lost: a.lost + b.lost,
    duplicated: a.duplicated + b.duplicated,
    reordered: a.reordered + b.reordered,
    ...((a.detail ?? b.detail) ? { detail: (a.detail ?? b.detail)! } : {}),
  };
}
