/**
 * Cold start: a fresh worker of the arm's own script URL, timed from spawn until its SDK has
 * connected one client. The CLI empties the HTTP cache first (and with it V8's JS and wasm code
 * caches), so every sample fetches and compiles from scratch, as a first visit does; a plain page
 * cannot, so there the cache is warm after the first spawn (the results say so). Runs in the page.
 *
 * The bundle (every script and wasm module the fresh worker fetched) is counted in that fresh
 * worker: the arm's long-lived worker has loaded more by then (the Rust SDK's REST module, for one).
 */
import * as Comlink from 'comlink';
import { SAMPLE_TIMEOUT_MS } from '../../lab/defaults';
import type { ClientSetup } from '../../lab/types';
import type { ArmWorkerApi, BundleSize } from '../../workers/arm-contract';
import { type ArmSlot, spawn, withTimeout } from '../arms';
import type { LabHost } from '../contract';

/**
 * Spawn → connected (ms), and the part of it spent before connecting (loading the SDK); with
 * `countBundle`, also what the fresh worker fetched (counted after the clock stopped).
 */
export async function coldStart(
  s: ArmSlot,
  setup: ClientSetup,
  host: LabHost | undefined,
  countBundle: boolean,
): Promise<{ totalMs: number; loadedMs: number; bundle: BundleSize | undefined }> {
  if (host) await host.clearCache();
  const w0 = performance.now();
  const fresh = spawn(s.scriptUrl, `lab-${s.arm.id}-cold`);
  try {
    const api = Comlink.wrap<ArmWorkerApi>(fresh.worker);
    const c = await withTimeout(
      Promise.race([api.coldStart(setup), fresh.failed]),
      SAMPLE_TIMEOUT_MS,
      `cold start of ${s.arm.id}`,
    );
    const totalMs = performance.now() - w0;
    const bundle = countBundle
      ? await withTimeout(api.bundle(), SAMPLE_TIMEOUT_MS, `bundle of ${s.arm.id}`)
      : undefined;
    return { totalMs, loadedMs: totalMs - c.connectMs, bundle };
  } finally {
    fresh.worker.terminate();
  }
}
