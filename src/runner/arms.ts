/**
 * The arms' workers, as the runner sees them: one dedicated module worker per arm, each with its
 * own script URL (so memory is attributed per arm), spawned, greeted and, after a failure,
 * replaced. Runs in the page.
 */
import * as Comlink from 'comlink';
import { SAMPLE_TIMEOUT_MS } from '../lab/defaults';
import type { ArmV1 } from '../lab/results';
import type { Arm, SdkKind } from '../lab/types';
import type { ArmHello, ArmWorkerApi, BundleSize } from '../workers/arm-contract';
import jsBUrl from '../workers/js-b.worker.ts?worker&url';
import jsUrl from '../workers/js.worker.ts?worker&url';
import rawBUrl from '../workers/raw-b.worker.ts?worker&url';
import rawUrl from '../workers/raw.worker.ts?worker&url';
import rustBUrl from '../workers/rust-b.worker.ts?worker&url';
import rustUrl from '../workers/rust.worker.ts?worker&url';

/**
 * Worker entry script per SDK (each its own URL, so memory is attributed per arm); `B` = the
 * second copy of an A/A run. Never add a query string to these URLs (see js-b.worker.ts).
 */
export const ARM_SCRIPTS: Partial<Record<SdkKind, string>> = { rust: rustUrl, js: jsUrl, raw: rawUrl };
export const ARM_SCRIPTS_B: Partial<Record<SdkKind, string>> = { rust: rustBUrl, js: jsBUrl, raw: rawBUrl };

export function availableArms(): SdkKind[] {
  return (Object.keys(ARM_SCRIPTS) as SdkKind[]).filter((k) => ARM_SCRIPTS[k]);
}

/** The arms of a run: one per SDK, or in an A/A run the first SDK twice (`js` and `js'`). */
export function armsOf(sdks: readonly SdkKind[], aa: boolean): Arm[] {
  for (const s of sdks) if (!ARM_SCRIPTS[s]) throw new Error(`arm ${s} is not available in this build`);
  return aa
    ? [
        { id: sdks[0]!, sdk: sdks[0]! },
        { id: `${sdks[0]!}'`, sdk: sdks[0]! },
      ]
    : sdks.map((s) => ({ id: s, sdk: s }));
}

/** One arm's live worker, and what the run has learnt about it. */
export interface ArmSlot {
  arm: Arm;
  scriptUrl: string;
  worker: Worker;
  api: Comlink.Remote<ArmWorkerApi>;
  hello: ArmHello;
  workers: ArmV1['workers'];
  bundle: BundleSize | undefined;
}

export const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)),
  ]);

/** A module worker, and a promise that rejects if its script fails to load. */
export function spawn(url: string, name: string): { worker: Worker; failed: Promise<never> } {
  const worker = new Worker(url, { type: 'module', name });
  const failed = new Promise<never>((_, reject) =>
    worker.addEventListener('error', (e) =>
      reject(new Error(`worker ${name} failed to load: ${e.message || 'no details (missing COEP header?)'}`)),
    ),
  );
  failed.catch(() => undefined);
  return { worker, failed };
}

/** Spawns the arm's worker (the `B` script for the second arm of an A/A run) and waits for its hello. */
export async function startArm(arm: Arm, secondCopy: boolean): Promise<ArmSlot> {
  const scriptUrl = new URL((secondCopy ? ARM_SCRIPTS_B : ARM_SCRIPTS)[arm.sdk]!, location.href).href;
  const { worker, failed } = spawn(scriptUrl, `lab-${arm.id}`);
  const api = Comlink.wrap<ArmWorkerApi>(worker);
  try {
    const hello = await withTimeout(Promise.race([api.hello(), failed]), SAMPLE_TIMEOUT_MS, `loading arm ${arm.id}`);
    if (!hello.crossOriginIsolated)
      throw new Error(`worker ${arm.id} is not cross-origin isolated: timings would be coarse`);
    return { arm, scriptUrl, worker, api, hello, workers: [], bundle: undefined };
  } catch (e) {
    worker.terminate();
    throw e;
  }
}
