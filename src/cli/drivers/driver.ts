/**
 * What the headless lab needs from a browser, whichever engine and protocol: open the lab page with
 * the `labHost` channel bound (page → CLI messages), evaluate in the page (CLI → page), the extra
 * measurements the engine allows, and close. `runHeadless` (../headless.ts) reads the same for
 * every engine; what an engine cannot measure is `null`/`undefined` here and said in the results.
 */
import type { WorkerThreads } from '../proc';

export type EngineName = 'chromium' | 'firefox';
export const ENGINES: readonly EngineName[] = ['chromium', 'firefox'];

/** The engine a run used, as recorded in results.environment.engine. */
export interface EngineInfo {
  name: EngineName;
  /** The browser's own version string, e.g. "156.0.8078.108" or "153.8.0". */
  version: string;
  /** How the CLI talks to it. */
  protocol: 'cdp' | 'bidi';
  /** Attached to a browser the CLI did not launch (--browser-endpoint). */
  remote: boolean;
}

export interface WorkerHeap {
  jsHeapUsed: number;
  jsHeapTotal: number;
  backing: number;
}

export interface LabBrowser {
  readonly engine: EngineInfo;
  /** "Chromium 156…" / "Firefox 153…": results.environment.browser. */
  readonly label: string;
  /** Worker threads in /proc (same machine only); undefined when the browser's process is not here. */
  readonly threads: WorkerThreads | undefined;
  /** Opens `url` in a fresh context with `window.labHost(string)` delivering to `onHostMessage`. */
  open(url: string, onHostMessage: (payload: string) => void): Promise<void>;
  /** Evaluates an expression in the page (awaiting a promise); the value comes back by JSON. */
  evaluate<T>(expression: string): Promise<T>;
  /** Whether readWorkerHeap can answer (false in Firefox: no per-worker heap API). */
  readonly workerHeap: boolean;
  /** JS heap of the worker with this script URL after forced GC, or null: the engine has no such API. */
  readWorkerHeap(scriptUrl: string): Promise<WorkerHeap | null>;
  /** Makes the next loads miss the HTTP cache (cold start); says how, for the results' notes. */
  clearCache(): Promise<void>;
  /** Lines for results.environment.notes: what this engine/driver measures differently. */
  readonly notes: string[];
  close(): Promise<void>;
}

/** Which browser a run uses: launch one of ours, or attach to a Chromium DevTools endpoint. */
export type BrowserTarget =
  /** `cpus`: launch it on these CPUs only (`taskset -c` list; pinning.ts). */
  { kind: 'launch'; engine: EngineName; cpus?: string } | { kind: 'cdp-endpoint'; url: string };

export async function openBrowser(target: BrowserTarget): Promise<LabBrowser> {
  if (target.kind === 'cdp-endpoint') return (await import('./chromium')).connectChromium(target.url);
  if (target.engine === 'firefox') return (await import('./firefox')).launchFirefox(target.cpus);
  return (await import('./chromium')).launchChromium(target.cpus);
}
