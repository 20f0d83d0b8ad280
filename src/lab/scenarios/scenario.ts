/**
 * What a scenario is: data (meta, sizes) plus small functions run INSIDE the arm's worker against
 * the SdkAdapter interface. Three kinds (a discriminated union):
 * - `worker`: samples timed in the worker (latency, throughput, recovery);
 * - `memory`: the worker builds a state, the runner reads memory around it;
 * - `cold-start`: the runner spawns a fresh worker and times spawn → connected.
 */
import type { SdkAdapter } from '../../sdk-adapters/adapter';
import { median } from '../stats';
import type { ClientSetup, Integrity, Measurement, ScenarioMeta, ScenarioParams } from '../types';

/** The helper worker's publisher: a second connection (raw floor client, same for every arm). */
export interface Publisher {
  /**
   * Publishes messages named "0".."n-1" (payload `size` bytes) on `channel`, `batch` per frame,
   * all pipelined; `chunk`/`paceMs` spread them out (chunk frames every paceMs). Resolves with
   * the number of messages sent once all are ACKed.
   */
  publishSequence(
    channel: string,
    n: number,
    opts: { batch: number; size: number; chunk?: number; paceMs?: number },
  ): Promise<number>;
}

export interface ScenarioContext {
  readonly sdk: SdkAdapter;
  readonly setup: ClientSetup;
  readonly publisher: Publisher | undefined;
  /** POST /lab/<path> on the local server (e.g. blast, drop); throws against a real endpoint. */
  labHook(path: string, query?: Record<string, string>): Promise<unknown>;
  /** Reads a channel's history (REST, forwards) and checks names "0".."n-1" arrived once, in order. */
  verifyHistory(channel: string, expected: number): Promise<Integrity>;
  now(): number;
  sleep(ms: number): Promise<void>;
}

export type Sizes = Omit<ScenarioParams, 'channelPrefix'>;

interface Common {
  readonly meta: ScenarioMeta;
  /** Sizes for a full run and for --quick. */
  readonly sizes: { readonly full: Sizes; readonly quick: Sizes };
  /** Relative share of the run's time budget. */
  readonly weight: number;
}

export interface WorkerScenario<S = unknown> extends Common {
  readonly kind: 'worker';
  /** Once per arm before the first sample (untimed): e.g. a connected client. */
  prepare?(ctx: ScenarioContext, p: ScenarioParams): Promise<S>;
  sample(ctx: ScenarioContext, p: ScenarioParams, state: S): Promise<Measurement>;
  release?(state: S): Promise<void>;
  /** The primary value of a sample (paired and compared across arms). */
  primary(m: Measurement): number;
}

export interface MemoryScenario extends Common {
  readonly kind: 'memory';
  /** Builds the state to measure; returns how many objects it holds and how to free it. */
  build(ctx: ScenarioContext, p: ScenarioParams): Promise<{ objects: number; release(): Promise<void> }>;
}

export interface ColdStartScenario extends Common {
  readonly kind: 'cold-start';
}

// biome-ignore lint/suspicious/noExplicitAny: each scenario's per-arm state type is its own; the registry holds them all
export type Scenario = WorkerScenario<never> | WorkerScenario<any> | MemoryScenario | ColdStartScenario;

/** A payload of exactly `size` bytes (ASCII). */
export function payload(size: number): string {
  return 'x'.repeat(size);
}

/** Times `ops` operations one after another; each latency is recorded (a sample spans all of them). */
export async function timeOps(
  ctx: ScenarioContext,
  ops: number,
  op: (i: number) => Promise<void>,
  between?: (i: number) => Promise<void>,
): Promise<Measurement> {
  const lat = new Float64Array(ops);
  let busy = 0;
  for (let i = 0; i < ops; i++) {
    const t0 = ctx.now();
    await op(i);
    const d = ctx.now() - t0;
    lat[i] = d;
    busy += d;
    if (between) await between(i);
  }
  return { kind: 'ops', ops, elapsedMs: busy, latenciesMs: lat };
}

export const p50 = (m: Measurement): number => {
  if (m.kind !== 'ops') throw new Error(`expected ops, got ${m.kind}`);
  return median(m.latenciesMs);
};

export const opsRate = (m: Measurement): number => {
  if (m.kind !== 'ops') throw new Error(`expected ops, got ${m.kind}`);
  return (m.ops / m.elapsedMs) * 1000;
};

export const streamRate = (m: Measurement): number => {
  if (m.kind !== 'stream') throw new Error(`expected stream, got ${m.kind}`);
  return (m.messages / m.elapsedMs) * 1000;
};
