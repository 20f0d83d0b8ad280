/**
 * The page ↔ arm-worker contract (Comlink RPC), defined once and imported by both sides.
 * Every arm worker (one entry script per SDK, own URL) exposes `ArmWorkerApi`;
 * the helper worker (the second connection that publishes) exposes `HelperWorkerApi`.
 */
import type { ClientSetup, Measurement, ScenarioParams, SdkKind } from '../lab/types';

export interface ArmHello {
  sdk: SdkKind;
  sdkVersion: string;
  crossOriginIsolated: boolean;
  timerGranularityUs: number;
  /** Module fetch + compile/instantiate of the SDK inside the worker (ms). */
  loadMs: number;
  scriptUrl: string;
}

export interface BundleSize {
  /** Every script/wasm the worker fetched (its own script included). */
  urls: string[];
  bytes: number;
  gzipBytes: number;
}

export interface ArmWorkerApi {
  /** Loads the SDK and reports what it is. */
  hello(): Promise<ArmHello>;
  /** Endpoint, key and protocol for the following scenarios; `publisher` = a port to the helper worker. */
  configure(setup: ClientSetup, publisher?: MessagePort): Promise<void>;
  /** Untimed per-scenario setup (e.g. a connected client). */
  prepare(scenarioId: string, params: ScenarioParams): Promise<void>;
  /** One sample, timed inside the worker; latencies are transferred, not copied. */
  sample(scenarioId: string, params: ScenarioParams): Promise<Measurement>;
  release(scenarioId: string): Promise<void>;
  /** Memory scenarios: build the state to be measured / free it. */
  build(scenarioId: string, params: ScenarioParams): Promise<{ objects: number; wasmBytes: number }>;
  unbuild(scenarioId: string): Promise<void>;
  /** Cold start in a FRESH worker: load the SDK, connect one client, close it. */
  coldStart(setup: ClientSetup): Promise<{ loadMs: number; connectMs: number }>;
  bundle(): Promise<BundleSize>;
  /** `gc()` if exposed (--js-flags=--expose-gc); returns whether it ran. */
  gc(): Promise<boolean>;
  /** Busy-loops for `ms` (the CLI finds the worker's OS thread by its CPU jump). */
  spin(ms: number): Promise<void>;
  /** WebAssembly linear memory: reserved (byteLength, never shrinks) and live (counting allocator). */
  wasmMemory(): Promise<{ reserved: number; live: number }>;
}

export interface HelperWorkerApi {
  configure(setup: ClientSetup): Promise<void>;
  /** Serves the Publisher API (scenario.ts) on `port` for one arm worker. */
  serve(port: MessagePort): void;
  close(): Promise<void>;
}
