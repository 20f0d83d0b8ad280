/**
 * The page-side runner ↔ its host contract, defined once and imported by both sides: what a run
 * is asked to do (`LabRunConfig`), what it reports (`LabProgress`), and what the headless CLI
 * answers for the page (`LabHost`, carried as `HostRequest` messages through a CDP binding).
 * Types only and no DOM or Node APIs: the page (src/runner/runner.ts, src/runner/page.ts) and
 * the Node CLI (src/cli/headless.ts) both import it, each under its own tsconfig project.
 */
import type { Endpoint, Protocol, SdkKind, Verdict } from '../lab/types';

export interface LabRunConfig {
  /** Scenario ids (default: all). */
  scenarios?: string[];
  /** SDKs to compare (default: every available arm). With `aa`, the first is run twice. */
  arms?: SdkKind[];
  protocols?: Protocol[];
  quick?: boolean;
  aa?: boolean;
  budgetS: number;
  /** Sample every scenario to its share of the budget whatever the verdicts (schedule.ts `untilBudget`). */
  untilBudget?: boolean;
  endpoint: Endpoint;
  /** Never stored in results. */
  key: string;
  margin?: number;
  /** Overrides of the schedule (tests). */
  rounds?: { warmup?: number; min?: number; max?: number };
  /** Override of the operations (messages) per sample (tests: many short rounds). */
  ops?: number;
}

export interface LabProgress {
  scenario: string;
  protocol: Protocol;
  index: number;
  total: number;
  phase: 'start' | 'round' | 'done';
  measured: number;
  /** Round events: this round's primary value per arm id (the page's live samples chart). */
  values?: Record<string, number>;
  verdicts: Verdict[];
  status?: string;
  /** Done events of a failed or skipped scenario: why. */
  reason?: string;
  elapsedS: number;
  etaS: number;
}

/** The engine that ran, as the CLI's driver knows it (results.environment.engine). */
export interface LabEngine {
  name: 'chromium' | 'firefox';
  version: string;
  protocol: 'cdp' | 'bidi';
  remote: boolean;
}

/** Capabilities the headless CLI adds over CDP/BiDi and /proc (absent in a plain page). */
export interface LabHost {
  /**
   * What this engine lets the host measure: `workerHeap` false = no per-worker JS heap (Firefox:
   * no CDP heap API), so memory scenarios cannot compare arms and say so instead of guessing.
   */
  capabilities(): Promise<{ workerHeap: boolean }>;
  /** JS heap of the worker with this script URL, after HeapProfiler.collectGarbage ×2 (CDP). */
  readMemory(scriptUrl: string): Promise<{ jsHeapUsed: number; jsHeapTotal: number; backing: number }>;
  /** CPU: call before a ~200 ms spin of the arm's worker, then identify picks its OS thread. */
  threadSnapshot(): Promise<void>;
  threadIdentify(armId: string): Promise<boolean>;
  /** Cumulative CPU time (ms) of the arm's worker thread, or null if unknown. */
  threadCpuMs(armId: string): Promise<number | null>;
  /** Empties the browser's HTTP cache, with the code caches stored in it (CDP Network.clearBrowserCache). */
  clearCache(): Promise<void>;
  environment(): Promise<{
    browser: string;
    gitCommit: string | null;
    gitDirty: boolean | null;
    notes: string[];
    engine?: LabEngine;
  }>;
}

/** Messages the page sends through the `labHost` binding (src/runner/page.ts → src/cli/headless.ts). */
export type HostRequest =
  | {
      id: number;
      op:
        | 'capabilities'
        | 'readMemory'
        | 'threadSnapshot'
        | 'threadIdentify'
        | 'threadCpuMs'
        | 'clearCache'
        | 'environment';
      args: unknown[];
    }
  | { id: 0; op: 'progress'; args: [LabProgress] };
