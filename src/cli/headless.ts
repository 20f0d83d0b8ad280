/**
 * Drives the lab headless in one browser, whichever engine (drivers/): Chromium over CDP or
 * Firefox over WebDriver BiDi, launched here or attached (--browser-endpoint). The driver opens
 * the lab page with only the `labHost` channel attached — nothing that instruments the page's
 * timing path (docs/method.md#the-driver-must-not-distort-what-it-times) — and the page's host
 * requests (memory, thread CPU from /proc, cache, environment) are answered here, the same for
 * every engine; what an engine cannot measure is answered as unavailable, never guessed.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import type { LabResultsV1 } from '../lab/results';
import type { HostRequest, LabProgress, LabRunConfig } from '../runner/contract';
import { evaluate, TargetSession } from './cdp';
import { labLaunchOptions } from './drivers/chromium';
import { type BrowserTarget, type EngineName, type LabBrowser, openBrowser } from './drivers/driver';
import { runBareFirefox } from './drivers/firefox';

export interface HeadlessOptions {
  /** Origin serving dist/ (the lab page at /runner/runner.html). */
  pageOrigin: string;
  /** Path (and query) of the page to open: the runner page by default, the test harness's for tests (test-harness.ts). */
  page?: string;
  config: LabRunConfig;
  onProgress?(p: LabProgress): void;
  /** Extra lines for results.environment.notes. */
  notes?: string[];
  /** Which browser (default: launch Debian's Chromium). */
  browser?: BrowserTarget;
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** Answers one host request from the page with what this browser can measure. */
async function answer(b: LabBrowser, req: HostRequest, notes: string[]): Promise<unknown> {
  const threads = b.threads;
  switch (req.op) {
    case 'capabilities':
      return { workerHeap: b.workerHeap };
    case 'readMemory': {
      const heap = await b.readWorkerHeap(req.args[0] as string);
      if (!heap) throw new Error(`${b.label} has no per-worker JS heap API`);
      return heap;
    }
    case 'threadSnapshot':
      threads?.takeSnapshot();
      return null;
    case 'threadIdentify':
      return threads?.identify(req.args[0] as string) ?? false;
    case 'threadCpuMs':
      return threads?.cpuMs(req.args[0] as string) ?? null;
    case 'clearCache':
      await b.clearCache();
      return null;
    case 'environment': {
      const status = git(['status', '--porcelain']);
      return {
        browser: b.label,
        engine: b.engine,
        gitCommit: git(['rev-parse', 'HEAD']),
        gitDirty: status === null ? null : status.length > 0,
        notes: [
          `node ${process.version}, ${process.platform}; load average at the end ${loadavg()
            .map((x) => x.toFixed(2))
            .join(' ')}`,
          ...b.notes,
          ...(threads ? [] : ["worker CPU unavailable: the browser's worker threads are not in this machine's /proc"]),
          ...notes,
        ],
      };
    }
    default:
      throw new Error(`unknown host op ${(req as { op: string }).op}`);
  }
}

export async function runHeadless(opts: HeadlessOptions): Promise<LabResultsV1> {
  const b = await openBrowser(opts.browser ?? { kind: 'launch', engine: 'chromium' });
  try {
    const reply = (id: number, ok: boolean, value: unknown) =>
      b.evaluate(`window.__labHostReply(${id}, ${ok}, ${JSON.stringify(value ?? null)})`).catch(() => undefined);
    await b.open(`${opts.pageOrigin}${opts.page ?? '/runner/runner.html'}`, (payload) => {
      const req = JSON.parse(payload) as HostRequest;
      if (process.env.LAB_DEBUG) console.error(`[host] ${req.op} ${JSON.stringify(req.args).slice(0, 200)}`);
      if (req.op === 'progress') {
        opts.onProgress?.(req.args[0]);
        return;
      }
      answer(b, req, opts.notes ?? []).then(
        (v) => reply(req.id, true, v),
        (e: unknown) => reply(req.id, false, e instanceof Error ? e.message : String(e)),
      );
    });
    const deadline = Date.now() + 30_000;
    while (!(await b.evaluate<boolean>('Boolean(window.__lab && window.__lab.ready)').catch(() => false))) {
      if (Date.now() > deadline) throw new Error('the lab page did not load (is dist/ built? run `npx vite build`)');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Watchdog: a wedged page must not hang the CLI (the budget bounds sampling, not set-up).
    const limitMs = (opts.config.budgetS * 2 + 180) * 1000;
    let timer: NodeJS.Timeout | undefined;
    return await Promise.race([
      b.evaluate<LabResultsV1>(`window.__lab.run(${JSON.stringify(opts.config)})`),
      new Promise<never>(
        (_, reject) =>
          (timer = setTimeout(
            () => reject(new Error(`the lab page did not finish within ${limitMs / 1000} s`)),
            limitMs,
          )),
      ),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await b.close();
  }
}

/**
 * A bare run for the bare-vs-lab check: the same page and runner, but nothing attached while it
 * runs (no Runtime domain, no binding, no host calls; the page polls nothing). Completion is seen
 * in Target.getTargets (title `lab-done`), then the page is attached once to read the result.
 */
export async function runBare(
  pageOrigin: string,
  config: LabRunConfig,
  engine: EngineName = 'chromium',
): Promise<LabResultsV1> {
  if (engine === 'firefox') {
    const hash = Buffer.from(JSON.stringify(config)).toString('base64url');
    const r = (await runBareFirefox(
      `${pageOrigin}/runner/runner.html#autorun=${hash}`,
      (config.budgetS * 2 + 120) * 1000,
    )) as LabResultsV1 | { error: string };
    if ('error' in r) throw new Error(r.error);
    return r;
  }
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
