/**
 * Chromium over CDP (docs/method.md#the-driver-must-not-distort-what-it-times): Playwright only
 * launches (or connects to) the browser; the lab page is a target of our own
 * (Target.createBrowserContext + Target.createTarget), which Playwright never instruments, and we
 * talk to it over a non-flattened CDP session with only `Runtime` enabled. Host requests from the
 * page arrive through a Runtime binding.
 */
import { randomBytes } from 'node:crypto';
import { type Browser, type CDPSession, chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../chromium';
import { evaluate, TargetSession, workerHeap } from '../cdp';
import { pinnedExecutable } from '../pinning';
import { findBrowserPid, WorkerThreads } from '../proc';
import type { LabBrowser } from './driver';

/**
 * The launch settings of both lab and bare runs (they differ only in what is attached):
 * --expose-gc for gc() in workers between samples, precise memory info, and a tag to find the
 * browser in /proc.
 */
export function labLaunchOptions(tag: string, cpus?: string): ReturnType<typeof chromiumLaunchOptions> {
  const base = chromiumLaunchOptions();
  return {
    ...base,
    ...(cpus !== undefined ? { executablePath: pinnedExecutable(base.executablePath!, cpus) } : {}),
    args: [...(base.args ?? []), '--js-flags=--expose-gc', '--enable-precise-memory-info', `--lab-run=${tag}`],
  };
}

class ChromiumLabBrowser implements LabBrowser {
  private page: TargetSession | undefined;
  private browserContextId: string | undefined;
  readonly label: string;
  readonly workerHeap = true;

  constructor(
    private readonly browser: Browser,
    private readonly cdp: CDPSession,
    readonly threads: WorkerThreads | undefined,
    private readonly remote: boolean,
    readonly notes: string[],
  ) {
    this.label = `Chromium ${browser.version()}`;
  }

  get engine() {
    return {
      name: 'chromium' as const,
      version: this.browser.version(),
      protocol: 'cdp' as const,
      remote: this.remote,
    };
  }

  async open(url: string, onHostMessage: (payload: string) => void): Promise<void> {
    const { browserContextId } = (await this.cdp.send('Target.createBrowserContext', {})) as {
      browserContextId: string;
    };
    this.browserContextId = browserContextId;
    const { targetId } = (await this.cdp.send('Target.createTarget', { url: 'about:blank', browserContextId })) as {
      targetId: string;
    };
    const page = await TargetSession.attach(this.cdp, targetId);
    this.page = page;
    page.on('Runtime.bindingCalled', (p) => {
      if (p.name === 'labHost') onHostMessage(p.payload as string);
    });
    // Runtime is the only domain enabled on the page (a Runtime-only attachment cost 0–6%);
    // nothing is attached to the workers during timing.
    await page.send('Runtime.enable');
    await page.send('Runtime.addBinding', { name: 'labHost' });
    await page.send('Page.navigate', { url });
  }

  private session(): TargetSession {
    if (!this.page) throw new Error('no lab page open');
    return this.page;
  }

  evaluate<T>(expression: string): Promise<T> {
    return evaluate<T>(this.session(), expression);
  }

  readWorkerHeap(scriptUrl: string) {
    return workerHeap(this.session(), scriptUrl);
  }

  async clearCache(): Promise<void> {
    // Handled by the network service; needs no Network.enable (no per-frame events).
    await this.session().send('Network.clearBrowserCache');
  }

  async close(): Promise<void> {
    await this.page?.detach();
    if (this.remote && this.browserContextId)
      // Not ours to close: leave the remote browser as we found it, without our context.
      await this.cdp.send('Target.disposeBrowserContext', { browserContextId: this.browserContextId }).catch(() => {});
    await this.browser.close();
  }
}

export async function launchChromium(cpus?: string): Promise<LabBrowser> {
  const tag = randomBytes(6).toString('hex');
  const browser = await chromium.launch(labLaunchOptions(tag, cpus));
  const pid = findBrowserPid(`--lab-run=${tag}`);
  return new ChromiumLabBrowser(
    browser,
    await browser.newBrowserCDPSession(),
    pid !== undefined ? new WorkerThreads(pid, 'DedicatedWorker') : undefined,
    false,
    [],
  );
}

/**
 * Attaches to a Chromium that runs elsewhere (`--browser-endpoint ws://HOST:PORT/devtools/browser/…`
 * or `http://HOST:PORT`). Its worker threads are in this machine's /proc only when it runs here
 * (found by its `--remote-debugging-port`); otherwise worker CPU is unavailable.
 */
export async function connectChromium(endpoint: string): Promise<LabBrowser> {
  const browser = await chromium.connectOverCDP(endpoint);
  const u = new URL(endpoint);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  const pid = loopback && u.port ? findBrowserPid(`--remote-debugging-port=${u.port}`) : undefined;
  const notes = [
    `browser attached at ${u.protocol}//${u.host} ` +
      `(not launched by the lab: its flags are its own; gc() in workers only if it runs with --js-flags=--expose-gc)`,
  ];
  if (pid === undefined) notes.push('worker CPU unavailable: the remote browser process is not on this machine');
  return new ChromiumLabBrowser(
    browser,
    await browser.newBrowserCDPSession(),
    pid !== undefined ? new WorkerThreads(pid, 'DedicatedWorker') : undefined,
    true,
    notes,
  );
}
