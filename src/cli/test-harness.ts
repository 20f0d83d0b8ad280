/**
 * The CLI's test-only flags (`--test-slowdown`, `--test-fault`) run the lab in the test harness
 * page instead of the production runner page: `e2e/harness/runner.html`, which exists only in the
 * test build (`npm run build:e2e` → `dist-e2e/`, e2e/vite.config.ts). That page swaps the arms it
 * is told about for test arms, the real arm workers wrapped (e2e/harness/test-arm.ts), and reads
 * what to do from its own URL — so no production contract (LabRunConfig, ArmWorkerApi,
 * ScenarioParams) carries a test knob.
 *
 * This file is the contract between the CLI (and the e2e specs) and that page: pure data and
 * functions, no Node or DOM APIs (the page imports it too).
 */
import { SDK_KINDS, type SdkKind } from '../lab/types';

/** A fault injected into every arm, in every sample of one scenario; the lab must fail that scenario, not the run. */
export interface TestFault {
  scenario: string;
  /**
   * The local server drops the next N MESSAGE frames of the sample's channel to the subscriber
   * (`POST /lab/connections/discard-next`): a loss on the wire that the SDK cannot see.
   */
  discard?: number;
  /** The subscriber's listener gets the sample's last message twice (a duplicate, as an SDK bug would deliver). */
  duplicateLast?: boolean;
}

export interface TestHarnessOptions {
  /** SDK id → factor > 1: that arm's worker busy-waits (factor − 1) × each awaited SDK operation (e2e/harness/slowdown.ts). */
  slowdown?: Record<string, number>;
  fault?: TestFault;
}

/** Where the test build goes (e2e/vite.config.ts): dist/ plus the pages only tests open. */
export const E2E_DIST = 'dist-e2e';
export const HARNESS_PAGE = '/e2e/harness/runner.html';

/** The harness page's path and query for these options. */
export function harnessPage(o: TestHarnessOptions): string {
  return `${HARNESS_PAGE}?${new URLSearchParams({ test: JSON.stringify(o) })}`;
}

/** The options in a harness page's query string (`location.search`). */
export function harnessOptions(search: string): TestHarnessOptions {
  const raw = new URLSearchParams(search).get('test');
  return raw ? (JSON.parse(raw) as TestHarnessOptions) : {};
}

/** The page the CLI opens for its test-only flags, or undefined without them. */
export function testHarnessPage(o: {
  testSlowdown: Record<string, number> | undefined;
  testFault: TestFault | undefined;
}): string | undefined {
  if (!o.testSlowdown && !o.testFault) return undefined;
  return harnessPage({
    ...(o.testSlowdown ? { slowdown: o.testSlowdown } : {}),
    ...(o.testFault ? { fault: o.testFault } : {}),
  });
}

/** Parses `js=1.5,raw=2` (SDK id → factor, 1 < factor ≤ 100). */
export function parseSlowdown(s: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const m = /^([a-z]+)=(\d+(?:\.\d+)?)$/.exec(part);
    const f = m ? Number(m[2]) : NaN;
    if (!m || !SDK_KINDS.includes(m[1] as SdkKind) || !(f > 1) || f > 100)
      throw new Error(
        `--test-slowdown: expected ARM=FACTOR with ARM one of ${SDK_KINDS.join(', ')} and 1 < FACTOR ≤ 100, e.g. js=1.5; got "${part}"`,
      );
    out[m[1]!] = f;
  }
  return out;
}
