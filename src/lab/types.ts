/**
 * Internal types of the lab engine (no DOM; shared by the page, the workers and the CLI).
 * The published output format is NOT these types: see results.ts (versioned, validated).
 */

/** Which SDK an arm runs. `raw` is the floor: a minimal WebSocket + fetch client doing only wire work. */
export type SdkKind = 'rust' | 'js' | 'raw';
export const SDK_KINDS: readonly SdkKind[] = ['rust', 'js', 'raw'];

export type Protocol = 'json' | 'msgpack';
export const PROTOCOLS: readonly Protocol[] = ['json', 'msgpack'];

/**
 * One arm of a comparison: an SDK in its own dedicated worker. In an A/A run the same SDK appears
 * twice with different ids (`js`, `js'`) and different worker slots.
 */
export interface Arm {
  /** Unique within a run: `js`, `raw`, `rust`, or `js'` for the second copy in an A/A run. */
  readonly id: string;
  readonly sdk: SdkKind;
}

/** Where the SDKs connect. `local` = the lab's own server (lab hooks available). */
export type Endpoint =
  | { readonly kind: 'local'; readonly host: string; readonly port: number; readonly tls: false }
  | { readonly kind: 'remote'; readonly host: string; readonly port: number; readonly tls: boolean };

/** What an SDK worker needs to create clients. The key never leaves the run (not in results). */
export interface ClientSetup {
  readonly endpoint: Endpoint;
  readonly key: string;
  readonly protocol: Protocol;
  readonly clientId: string;
}

/** Integrity of a message stream: every throughput/recovery sample checks it. */
export interface Integrity {
  /** Messages expected and received (unique). */
  readonly expected: number;
  readonly received: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly reordered: number;
  /** The first anomalies seen (failure reasons only). */
  readonly detail?: string;
}

export type Direction = 'lower' | 'higher';

/** Scenario groups (the page groups scenarios by these). */
export type ScenarioGroup = 'throughput' | 'latency' | 'memory' | 'recovery' | 'cold-start';

/** What every scenario declares (pure data; stable `id`, a key in results and history). */
export interface ScenarioMeta {
  readonly id: string;
  readonly title: string;
  readonly group: ScenarioGroup;
  /** Unit of the primary value, e.g. `ms`, `ops/s`, `msg/s`, `bytes`. */
  readonly unit: string;
  readonly better: Direction;
  /** One line for the Markdown summary / page tooltip: what exactly is timed. */
  readonly description: string;
  /** Needs the local server's /lab/ hooks (skipped against a real Ably endpoint). */
  readonly needsLabHooks?: boolean;
  /** Which claim applies: speed ("Rust ≥40% faster") or memory ("≥50% less"). */
  readonly claim: 'speed' | 'memory';
  /** Set when the scenario cannot run as defined (reported as skipped with this reason). */
  readonly notApplicable?: string;
}

/** Sizes of a scenario, scaled down by --quick. */
export interface ScenarioParams {
  /** Operations per sample (latency / REST) or messages per sample (throughput). */
  readonly ops: number;
  /** Message payload size in bytes. */
  readonly size: number;
  /** Messages per publish call / per frame. */
  readonly batch: number;
  /** A unique prefix for channel names of this sample (fresh channels every sample). */
  readonly channelPrefix: string;
}

/**
 * What one sample returns from a worker (a discriminated union). Samples are timed inside the
 * worker and span many operations (≥10 ms), never single operations.
 */
export type Measurement =
  | {
      readonly kind: 'ops';
      /** Operations timed in this sample (each op may carry `batch` messages). */
      readonly ops: number;
      readonly elapsedMs: number;
      /** Per-operation latencies (ms), transferred, not copied. */
      readonly latenciesMs: Float64Array;
    }
  | {
      readonly kind: 'stream';
      /** Messages moved in the timed window. */
      readonly messages: number;
      readonly elapsedMs: number;
      readonly integrity: Integrity;
    }
  | {
      readonly kind: 'recovery';
      /** From the drop request to `connected` again (ms). */
      readonly recoveryMs: number;
      readonly resumed: boolean;
      readonly integrity: Integrity;
    }
  | {
      /** State built for a memory reading; the runner reads memory around it. */
      readonly kind: 'state';
      readonly objects: number;
      readonly wasmBytes: number;
    };

/** Memory of one worker as read by the page runner's MemoryReader (bytes). */
export interface MemoryReading {
  /** `cdp` = Runtime.getHeapUsage after HeapProfiler.collectGarbage ×2 on the worker target. */
  readonly method: 'cdp' | 'mUASM';
  readonly jsHeapUsed: number;
  readonly jsHeapTotal: number;
  /** ArrayBuffers + external strings (CDP `backingStorageSize`); 0 with mUASM (included in jsHeapUsed). */
  readonly backing: number;
  /** WebAssembly linear memory reported by the Rust SDK (no browser API counts it): reserved `byteLength` (never shrinks). */
  readonly wasmLinear: number;
  /** Live bytes inside linear memory (the Rust SDK's counting allocator). */
  readonly wasmLive: number;
  /** Cross-check: `performance.measureUserAgentSpecificMemory()` bytes attributed to the worker URL. */
  readonly mUASM?: number;
}

/** The paired-ratio verdict (docs/method.md#verdicts). */
export type Verdict = 'faster' | 'slower' | 'equivalent' | 'unsure';
/** A claim's status against its CI. */
export type ClaimStatus = 'holds' | 'fails' | 'unsure' | 'n/a';

export interface Interval {
  readonly lo: number;
  readonly hi: number;
}
