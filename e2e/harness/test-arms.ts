/**
 * Swaps the arms the harness page's URL names for test arms (runner.ts): imported before the
 * runner page, so no run can start with the production arms. What to do comes from the page's
 * own URL (`?test=<JSON>`, src/cli/test-harness.ts): a slowdown for the SDKs it lists, a fault
 * for every arm. The second copy of an A/A run stays a production arm.
 */
import { harnessOptions } from '../../src/cli/test-harness';
import { SDK_KINDS, type SdkKind } from '../../src/lab/types';
import { ARM_SCRIPTS } from '../../src/runner/arms';
import { type TestArmOptions, testArmName } from './options';
import jsUrl from './test-js.worker.ts?worker&url';
import rawUrl from './test-raw.worker.ts?worker&url';
import rustUrl from './test-rust.worker.ts?worker&url';

const TEST_ARMS: Record<SdkKind, string> = { rust: rustUrl, js: jsUrl, raw: rawUrl };
const options = harnessOptions(location.search);

/** Script URL of each test arm in this run → its options. */
const armOptions = new Map<string, TestArmOptions>();
for (const sdk of SDK_KINDS) {
  const slowdown = options.slowdown?.[sdk];
  if (!ARM_SCRIPTS[sdk] || (!slowdown && !options.fault)) continue;
  const url = new URL(TEST_ARMS[sdk], location.href).href;
  ARM_SCRIPTS[sdk] = url;
  armOptions.set(url, { ...(slowdown ? { slowdown } : {}), ...(options.fault ? { fault: options.fault } : {}) });
}

// Every worker the runner spawns from a test arm's URL (cold start included) gets the options
// appended to its name (options.ts says why the name).
const PageWorker = globalThis.Worker;
globalThis.Worker = class extends PageWorker {
  constructor(url: string | URL, opts?: WorkerOptions) {
    const o = armOptions.get(new URL(url, location.href).href);
    super(url, o ? { ...opts, name: testArmName(opts?.name ?? '', o) } : opts);
  }
};
