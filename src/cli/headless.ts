/**
 * Drives the lab in headless Chromium without Playwright's instrumentation on the timing path
 * (docs/method.md#the-driver-must-not-distort-what-it-times): Playwright only launches the browser; the lab page is a target of
 * our own (Target.createBrowserContext + Target.createTarget), which Playwright detaches from,
 * and we talk to it over a non-flattened CDP session. Host requests from the page (memory via CDP
 * on the worker target, thread CPU from /proc) arrive through a Runtime binding.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from './chromium';
import type { LabResultsV1 } from '../lab/results';
import type { HostRequest, LabProgress, LabRunConfig } from '../runner/contract';
import { evaluate, TargetSession, workerHeap } from './cdp';
import { findBrowserPid, WorkerThreads } from './proc';

export interface HeadlessOptions {
  /** Origin serving dist/ (the lab page at /runner/runner.html). */
  pageOrigin: string;
  /** Path (and query) of the page to open: the runner page by default, the test harness's for tests (test-harness.ts). */
  page?: string;
  config: LabRunConfig;
  onProgress?(p: LabProgress): void;
  /** Extra lines for results.environment.notes. */
  notes?: string[];
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/**
 * The browser both runs use (lab and bare differ only in what is attached): --expose-gc for gc()
 * in workers between samples, precise memory info, and a tag to find the browser in /proc.
 */
function labLaunchOptions(tag: string): ReturnType<typeof chromiumLaunchOptions> {
  const base = chromiumLaunchOptions();
  return {
    ...base,
    args: [...(base.args ?? []), '--js-flags=--expose-gc', '--enable-precise-memory-info', `--lab-run=${tag}`],
  };
}

export async function runHeadless(opts: HeadlessOptions): Promise<LabResultsV1> {
  const tag = randomBytes(6).toString('hex');
  const browser = await chromium.launch(labLaunchOptions(tag));
  try {
    const cdp = await browser.newBrowserCDPSession();
    const { browserContextId } = (await cdp.send('Target.createBrowserContext', {})) as { browserContextId: string };
    const { targetId } = (await cdp.send('Target.createTarget', { url: 'about:blank', browserContextId })) as {
      targetId: string;
    };
    const page = await TargetSession.attach(cdp, targetId);
    const pid = findBrowserPid(tag);
    const threads = pid !== undefined ? new WorkerThreads(pid) : undefined;
    const browserVersion = `Chromium ${browser.version()}`;
    const reply = (id: number, ok: boolean, value: unknown) =>
      page
        .send('Runtime.evaluate', {
          expression: `window.__labHostReply(${id}, ${ok}, ${JSON.stringify(value ?? null)})`,
        })
        .catch(() => undefined);
    const handle = async (req: HostRequest): Promise<unknown> => {
      switch (req.op) {
        case 'readMemory':
          return workerHeap(page, req.args[0] as string);
        case 'threadSnapshot':
          threads?.takeSnapshot();
          return null;
        case 'threadIdentify':
          return threads?.identify(req.args[0] as string) ?? false;
        case 'threadCpuMs':
          return threads?.cpuMs(req.args[0] as string) ?? null;
        case 'clearCache':
          // Handled by the network service; needs no Network.enable (no per-frame events).
          await page.send('Network.clearBrowserCache');
          return null;
        case 'environment': {
          const status = git(['status', '--porcelain']);
          return {
            browser: browserVersion,
            gitCommit: git(['rev-parse', 'HEAD']),
            gitDirty: status === null ? null : status.length > 0,
            notes: [
              `node ${process.version}, ${process.platform}; load average at the end ${loadavg()
                .map((x) => x.toFixed(2))
                .join(' ')}`,
              ...(opts.notes ?? []),
            ],
          };
        }
        default:
          throw new Error(`unknown host op ${(req as { op: string }).op}`);
      }
    };
    page.on('Runtime.bindingCalled', (p) => {
      if (p.name !== 'labHost') return;
      const req = JSON.parse(p.payload as string) as HostRequest;
      if (process.env.LAB_DEBUG) console.error(`[host] ${req.op} ${JSON.stringify(req.args).slice(0, 200)}`);
      if (req.op === 'progress') {
        opts.onProgress?.(req.args[0]);
        return;
      }
      handle(req).then(
        (v) => reply(req.id, true, v),
        (e: unknown) => reply(req.id, false, e instanceof Error ? e.message : String(e)),
      );
    });
    // Runtime is the only domain enabled on the page (a Runtime-only attachment cost 0–6%);
    // nothing is attached to the workers during timing.
    await page.send('Runtime.enable');
    await page.send('Runtime.addBinding', { name: 'labHost' });
    await page.send('Page.navigate', { url: `${opts.pageOrigin}${opts.page ?? '/runner/runner.html'}` });
    const deadline = Date.now() + 30_000;
    while (!(await evaluate<boolean>(page, 'Boolean(window.__lab && window.__lab.ready)').catch(() => false))) {
      if (Date.now() > deadline) throw new Error('the lab page did not load (is dist/ built? run `npx vite build`)');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Watchdog: a wedged page must not hang the CLI (the budget bounds sampling, not set-up).
    const limitMs = (opts.config.budgetS * 2 + 180) * 1000;
    let timer: NodeJS.Timeout | undefined;
    const results = await Promise.race([
      evaluate<LabResultsV1>(page, `window.__lab.run(${JSON.stringify(opts.config)})`),
      new Promise<never>(
        (_, reject) =>
          (timer = setTimeout(
            () => reject(new Error(`the lab page did not finish within ${limitMs / 1000} s`)),
            limitMs,
          )),
      ),
    ]).finally(() => clearTimeout(timer));
    await page.detach();
    return results;
  } finally {
    await browser.close();
  }
}

/**
 * A bare run for the bare-vs-lab check: the same page and runner, but nothing attached while it
 * runs (no Runtime domain, no binding, no host calls; the page polls nothing). Completion is seen
 * in Target.getTargets (title `lab-done`), then the page is attached once to read the result.
 */
export async function runBare(pageOrigin: string, config: LabRunConfig): Promise<LabResultsV1> {
  const browser = await chromium.launch(labLaunchOptions(randomBytes(6).toString('hex')));
  try {
    const cdp = await browser.newBrowserCDPSession();
    const { browserContextId } = (await cdp.send('Target.createBrowserContext', {})) as { browserContextId: string };
    const hash = Buffer.from(JSON.stringify(config)).toString('base64url');
    const { targetId } = (await cdp.send('Target.createTarget', {
      url: `${pageOrigin}/runner/runner.html#autorun=${hash}`,
      browserContextId,
    })) as { targetId: string };
    const deadline = Date.now() + (config.budgetS * 2 + 120) * 1000;
    for (;;) {
      const { targetInfos } = (await cdp.send('Target.getTargets')) as {
        targetInfos: { targetId: string; title: string }[];
      };
      if (targetInfos.find((t) => t.targetId === targetId)?.title === 'lab-done') break;
      if (Date.now() > deadline) throw new Error('bare run did not finish');
      await new Promise((r) => setTimeout(r, 500));
    }
    const page = await TargetSession.attach(cdp, targetId);
    const r = await evaluate<LabResultsV1 | { error: string }>(page, 'window.__labResult');
    if ('error' in r) throw new Error(r.error);
    return r;
  } finally {
    await browser.close();
  }
}
