/**
 * Non-flattened CDP sessions (docs/method.md#the-driver-must-not-distort-what-it-times): Target.attachToTarget /
 * Target.setAutoAttach with flatten:false, then Target.sendMessageToTarget, with replies and
 * events from Target.receivedMessageFromTarget. The page is a child of Playwright's browser-level
 * CDP session; a dedicated worker is a child of the page session (attaching to a worker straight
 * from the browser session yields a session that never answers, Chromium 156). Only the domains
 * we call are used — never Network (it traces every frame). Kept behind this one small class because Chromium
 * plans to retire non-flattened mode (crbug 991325).
 */
type Listener = (params: Record<string, unknown>) => void;

/** What a parent session must offer: Playwright's CDPSession and TargetSession both do. */
export interface CdpParent {
  send(method: string, params?: Record<string, unknown>): Promise<unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: Playwright types each event's listener differently; any listener must fit
  on(event: string, l: (p: any) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: as for on()
  off(event: string, l: (p: any) => void): unknown;
}

export class TargetSession implements CdpParent {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; method: string }>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly onMessage = (e: { sessionId: string; message: string }) => {
    if (e.sessionId !== this.sessionId) return;
    const msg = JSON.parse(e.message) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
      method?: string;
      params?: Record<string, unknown>;
    };
    if (msg.id !== undefined) {
      const w = this.waiting.get(msg.id);
      this.waiting.delete(msg.id);
      if (msg.error) w?.reject(new Error(`${w.method}: ${msg.error.message}`));
      else w?.resolve(msg.result);
    } else if (msg.method) for (const l of this.listeners.get(msg.method) ?? []) l(msg.params ?? {});
  };

  constructor(
    private readonly parent: CdpParent,
    readonly sessionId: string,
  ) {
    parent.on('Target.receivedMessageFromTarget', this.onMessage);
  }

  static async attach(parent: CdpParent, targetId: string): Promise<TargetSession> {
    const { sessionId } = (await parent.send('Target.attachToTarget', { targetId, flatten: false })) as {
      sessionId: string;
    };
    return new TargetSession(parent, sessionId);
  }

  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
      this.parent
        .send('Target.sendMessageToTarget', {
          sessionId: this.sessionId,
          message: JSON.stringify({ id, method, params }),
        })
        .catch(reject);
    });
  }

  on(method: string, l: Listener): void {
    const set = this.listeners.get(method) ?? new Set();
    set.add(l);
    this.listeners.set(method, set);
  }

  off(method: string, l: Listener): void {
    this.listeners.get(method)?.delete(l);
  }

  async detach(): Promise<void> {
    this.parent.off('Target.receivedMessageFromTarget', this.onMessage);
    for (const w of this.waiting.values()) w.reject(new Error('detached'));
    this.waiting.clear();
    await this.parent.send('Target.detachFromTarget', { sessionId: this.sessionId }).catch(() => undefined);
  }
}

/** Evaluates an expression in the page (awaiting a promise), returning the value by JSON. */
export async function evaluate<T>(page: TargetSession, expression: string): Promise<T> {
  const r = await page.send<{
    result: { value?: T };
    exceptionDetails?: { text: string; exception?: { description?: string } };
  }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
  if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
  return r.result.value as T;
}

/**
 * JS heap of the page's dedicated worker with this script URL, after two forced GCs: the page
 * session auto-attaches its workers (non-flattened, not paused), we read the one we want, then
 * auto-attach is switched off and every worker session detached again — nothing stays attached
 * to a worker outside memory readings.
 */
export async function workerHeap(
  page: TargetSession,
  scriptUrl: string,
): Promise<{ jsHeapUsed: number; jsHeapTotal: number; backing: number }> {
  const sessions: TargetSession[] = [];
  let found: TargetSession | undefined;
  const onAttached = (e: Record<string, unknown>) => {
    const info = e.targetInfo as { type: string; url: string };
    const s = new TargetSession(page, e.sessionId as string);
    sessions.push(s);
    if (info.type === 'worker' && info.url === scriptUrl) found = s;
  };
  page.on('Target.attachedToTarget', onAttached);
  try {
    await page.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    if (!found) throw new Error(`no worker target with URL ${scriptUrl}`);
    const s: TargetSession = found;
    await s.send('HeapProfiler.collectGarbage');
    await s.send('HeapProfiler.collectGarbage');
    const h = await s.send<{ usedSize: number; totalSize: number; backingStorageSize?: number }>(
      'Runtime.getHeapUsage',
    );
    return { jsHeapUsed: h.usedSize, jsHeapTotal: h.totalSize, backing: h.backingStorageSize ?? 0 };
  } finally {
    page.off('Target.attachedToTarget', onAttached);
    await page
      .send('Target.setAutoAttach', { autoAttach: false, waitForDebuggerOnStart: false, flatten: false })
      .catch(() => undefined);
    for (const s of sessions) await s.detach();
  }
}
