/**
 * A non-flattened CDP session on a target (page or worker), through Playwright's browser-level
 * CDP session: Target.attachToTarget({flatten:false}) + Target.sendMessageToTarget, replies and
 * events from Target.receivedMessageFromTarget (measurement.md §B.2 "verified recipe"). Only the
 * domains we call are used — never Network (pitfall 1). Kept behind this one small class because
 * Chromium plans to retire non-flattened mode (crbug 991325).
 */
import type { CDPSession } from 'playwright-core';

type Listener = (params: Record<string, unknown>) => void;

export class TargetSession {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; method: string }>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly onMessage = (e: { sessionId: string; message: string }) => {
    if (e.sessionId !== this.sessionId) return;
    const msg = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: Record<string, unknown> };
    if (msg.id !== undefined) {
      const w = this.waiting.get(msg.id);
      this.waiting.delete(msg.id);
      if (msg.error) w?.reject(new Error(`${w.method}: ${msg.error.message}`));
      else w?.resolve(msg.result);
    } else if (msg.method) for (const l of this.listeners.get(msg.method) ?? []) l(msg.params ?? {});
  };

  private constructor(
    private readonly browser: CDPSession,
    readonly sessionId: string,
  ) {
    browser.on('Target.receivedMessageFromTarget', this.onMessage);
  }

  static async attach(browser: CDPSession, targetId: string): Promise<TargetSession> {
    const { sessionId } = (await browser.send('Target.attachToTarget', { targetId, flatten: false })) as { sessionId: string };
    return new TargetSession(browser, sessionId);
  }

  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
      this.browser.send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
  }

  on(method: string, l: Listener): void {
    const set = this.listeners.get(method) ?? new Set();
    set.add(l);
    this.listeners.set(method, set);
  }

  async detach(): Promise<void> {
    this.browser.off('Target.receivedMessageFromTarget', this.onMessage);
    for (const w of this.waiting.values()) w.reject(new Error('detached'));
    this.waiting.clear();
    await this.browser.send('Target.detachFromTarget', { sessionId: this.sessionId }).catch(() => undefined);
  }
}

/** Evaluates an expression in the page (awaiting a promise), returning the value by JSON. */
export async function evaluate<T>(page: TargetSession, expression: string): Promise<T> {
  const r = await page.send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
  if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
  return r.result.value as T;
}

/** JS heap of a dedicated worker (by script URL) after two forced GCs, via a short non-flattened attach. */
export async function workerHeap(browser: CDPSession, scriptUrl: string): Promise<{ jsHeapUsed: number; jsHeapTotal: number; backing: number }> {
  const { targetInfos } = (await browser.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
  const t = targetInfos.find((x) => x.type === 'worker' && x.url === scriptUrl);
  if (!t) throw new Error(`no worker target with URL ${scriptUrl}`);
  const s = await TargetSession.attach(browser, t.targetId);
  try {
    await s.send('HeapProfiler.collectGarbage');
    await s.send('HeapProfiler.collectGarbage');
    const h = await s.send<{ usedSize: number; totalSize: number; backingStorageSize?: number }>('Runtime.getHeapUsage');
    return { jsHeapUsed: h.usedSize, jsHeapTotal: h.totalSize, backing: h.backingStorageSize ?? 0 };
  } finally {
    await s.detach();
  }
}
