/**
 * Firefox over WebDriver BiDi: we start a stock Firefox (fresh profile, offline prefs, headless,
 * `--remote-debugging-port=0`), read the BiDi endpoint it prints, and drive it with the small
 * client in bidi.ts. The page's `labHost` is a BiDi channel (script.addPreloadScript with a
 * `channel` argument → `script.message` events), the counterpart of Chromium's Runtime binding.
 *
 * What Firefox cannot give the lab, said rather than faked: no per-worker JS heap (no CDP heap
 * API, no `measureUserAgentSpecificMemory`), so readWorkerHeap is null; no cache-clearing
 * command, so cold start bypasses the HTTP cache instead (`network.setCacheBehavior`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firefoxPrefs, requireFirefox } from '../firefox';
import { WorkerThreads } from '../proc';
import { BidiConnection, bidiEvaluate } from './bidi';
import type { EngineInfo, LabBrowser } from './driver';

const STARTUP_TIMEOUT_MS = 30_000;

/** Writes `user.js` into a fresh profile directory (read by Firefox at startup). */
export function freshProfile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lab-firefox-'));
  const lines = Object.entries(firefoxPrefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`);
  writeFileSync(join(dir, 'user.js'), `${lines.join('\n')}\n`);
  return dir;
}

/** Starts Firefox and resolves with its BiDi WebSocket URL (printed on stderr once listening). */
export async function startFirefox(profile: string, cpus?: string): Promise<{ proc: ChildProcess; wsUrl: string }> {
  const args = ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port=0'];
  // taskset execs Firefox in its own process: the pid (and /proc's worker threads) stay Firefox's.
  const proc = spawn(
    cpus !== undefined ? 'taskset' : requireFirefox(),
    cpus !== undefined ? ['-c', cpus, requireFirefox(), ...args] : args,
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' },
    },
  );
  let log = '';
  const wsUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Firefox did not start within ${STARTUP_TIMEOUT_MS / 1000} s:\n${log}`)),
      STARTUP_TIMEOUT_MS,
    );
    proc.stderr!.on('data', (d: Buffer) => {
      log += d;
      const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Firefox exited (${code}) before listening:\n${log}`));
    });
  });
  // Keep draining stderr, or a chatty browser blocks on a full pipe.
  proc.stderr!.resume();
  return { proc, wsUrl };
}

class FirefoxLabBrowser implements LabBrowser {
  private context: string | undefined;
  private cacheBypassed = false;
  readonly workerHeap = false;
  readonly notes = [
    'Firefox (WebDriver BiDi): no per-worker JS heap API (no CDP heap, no measureUserAgentSpecificMemory), ' +
      'so memory scenarios cannot compare arms; only the Rust SDK reports its own wasm memory',
    'Firefox: cold start bypasses the HTTP cache (BiDi network.setCacheBehavior) instead of clearing it',
  ];

  constructor(
    private readonly proc: ChildProcess,
    private readonly bidi: BidiConnection,
    private readonly profile: string,
    readonly engine: EngineInfo,
    readonly threads: WorkerThreads | undefined,
  ) {}

  get label(): string {
    return `Firefox ${this.engine.version}`;
  }

  async open(url: string, onHostMessage: (payload: string) => void): Promise<void> {
    const { context } = await this.bidi.send<{ context: string }>('browsingContext.create', { type: 'tab' });
    this.context = context;
    this.bidi.on('script.message', (p) => {
      const data = p.data as { type: string; value?: unknown };
      if (p.channel === 'labHost' && data.type === 'string') onHostMessage(data.value as string);
    });
    // The only subscription: host messages. No network, log or browsingContext events are traced.
    await this.bidi.send('session.subscribe', { events: ['script.message'], contexts: [context] });
    await this.bidi.send('script.addPreloadScript', {
      functionDeclaration: '(channel) => { window.labHost = (message) => channel(message); }',
      arguments: [{ type: 'channel', value: { channel: 'labHost' } }],
      contexts: [context],
    });
    await this.bidi.send('browsingContext.navigate', { context, url, wait: 'none' });
  }

  private ctx(): string {
    if (!this.context) throw new Error('no lab page open');
    return this.context;
  }

  evaluate<T>(expression: string): Promise<T> {
    return bidiEvaluate<T>(this.bidi, this.ctx(), expression);
  }

  async readWorkerHeap(): Promise<null> {
    return null;
  }

  async clearCache(): Promise<void> {
    if (this.cacheBypassed) return;
    await this.bidi.send('network.setCacheBehavior', { cacheBehavior: 'bypass', contexts: [this.ctx()] });
    this.cacheBypassed = true;
  }

  async close(): Promise<void> {
    await this.bidi.send('browser.close').catch(() => undefined);
    this.bidi.close();
    if (this.proc.exitCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r));
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/** A started Firefox with a BiDi session, before any page: shared by lab and bare runs. */
async function startSession(cpus?: string): Promise<{
  proc: ChildProcess;
  bidi: BidiConnection;
  profile: string;
  engine: EngineInfo;
}> {
  const profile = freshProfile();
  const { proc, wsUrl } = await startFirefox(profile, cpus);
  try {
    const bidi = await BidiConnection.connect(`${wsUrl}/session`);
    const session = await bidi.send<{ capabilities: { browserVersion: string } }>('session.new', { capabilities: {} });
    const engine: EngineInfo = {
      name: 'firefox',
      version: session.capabilities.browserVersion,
      protocol: 'bidi',
      remote: false,
    };
    return { proc, bidi, profile, engine };
  } catch (e) {
    proc.kill('SIGKILL');
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}

export async function launchFirefox(cpus?: string): Promise<LabBrowser> {
  const { proc, bidi, profile, engine } = await startSession(cpus);
  return new FirefoxLabBrowser(proc, bidi, profile, engine, new WorkerThreads(proc.pid!, 'DOM Worker'));
}

/**
 * A bare run in Firefox (the bare-vs-lab check): the page runs `url` (runner.html#autorun=…) with
 * no preload script, no channel and no subscription; completion is seen from outside the page
 * (browsingContext.getTree: the fragment turns #lab-done), then the result is read once.
 */
export async function runBareFirefox(url: string, timeoutMs: number): Promise<unknown> {
  const { proc, bidi, profile, engine } = await startSession();
  const b = new FirefoxLabBrowser(proc, bidi, profile, engine, undefined);
  try {
    const { context } = await bidi.send<{ context: string }>('browsingContext.create', { type: 'tab' });
    await bidi.send('browsingContext.navigate', { context, url, wait: 'none' });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const tree = await bidi.send<{ contexts: { url: string }[] }>('browsingContext.getTree', {
        root: context,
        maxDepth: 0,
      });
      if (tree.contexts[0]?.url.endsWith('#lab-done')) break;
      if (Date.now() > deadline) throw new Error('bare run did not finish');
      await new Promise((r) => setTimeout(r, 500));
    }
    return await bidiEvaluate(bidi, context, 'window.__labResult');
  } finally {
    await b.close();
  }
}
