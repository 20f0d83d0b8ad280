/** The page ↔ probe-worker contract, imported by both sides (Comlink RPC). */
export interface ProbeReport {
  /** Which SDK this worker loaded: 'rust-wasm' or 'ably-js'. */
  sdk: 'rust-wasm' | 'ably-js';
  /** The SDK's version string, as the SDK itself reports it. */
  sdkVersion: string;
  /** A value computed by the SDK inside the worker (proves it really ran). */
  computed: string;
  /** `self.crossOriginIsolated` inside the worker. */
  crossOriginIsolated: boolean;
  /** Smallest step of `performance.now()` measured inside the worker, µs. */
  timerGranularityUs: number;
  /** Time to load and start the SDK in the worker, ms. */
  loadMs: number;
}

export interface ProbeWorkerApi {
  probe(): Promise<ProbeReport>;
}
