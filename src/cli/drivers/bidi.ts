/**
 * A minimal WebDriver BiDi client (https://w3c.github.io/webdriver-bidi/) over one WebSocket:
 * commands with ids, replies, events. Just what the lab needs to drive a stock Firefox without a
 * patched build: Playwright 1.65's BiDi Firefox sends commands Firefox ESR 153 does not know
 * (`emulation.setMediaFeaturesOverride`), and this keeps the driver as thin as the Chromium one:
 * the lab subscribes to `script.message` only, so nothing traces the page's network or console.
 */
import WebSocket from 'ws';

type Listener = (params: Record<string, unknown>) => void;

interface BidiReply {
  id?: number;
  type: 'success' | 'error' | 'event';
  result?: unknown;
  error?: string;
  message?: string;
  method?: string;
  params?: Record<string, unknown>;
}

export class BidiConnection {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; method: string }>();
  private readonly listeners = new Map<string, Set<Listener>>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as BidiReply;
      if (msg.id !== undefined && msg.type !== 'event') {
        const w = this.waiting.get(msg.id);
        this.waiting.delete(msg.id);
        if (msg.type === 'error') w?.reject(new Error(`${w.method}: ${msg.error}: ${msg.message}`));
        else w?.resolve(msg.result);
      } else if (msg.method) for (const l of this.listeners.get(msg.method) ?? []) l(msg.params ?? {});
    });
    ws.on('close', () => {
      for (const w of this.waiting.values()) w.reject(new Error(`${w.method}: the BiDi connection closed`));
      this.waiting.clear();
    });
  }

  static async connect(url: string): Promise<BidiConnection> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new BidiConnection(ws);
  }

  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  on(method: string, l: Listener): void {
    const set = this.listeners.get(method) ?? new Set();
    set.add(l);
    this.listeners.set(method, set);
  }

  close(): void {
    this.ws.close();
  }
}

/** A BiDi RemoteValue of a primitive (the lab returns everything as a JSON string). */
interface RemoteValue {
  type: string;
  value?: unknown;
}

/**
 * Evaluates an expression in a browsing context, awaiting a promise; the page side stringifies the
 * value to JSON (BiDi's own serialisation is typed and depth-limited), so any JSON value comes back.
 */
export async function bidiEvaluate<T>(bidi: BidiConnection, context: string, expression: string): Promise<T> {
  const r = await bidi.send<{
    type: 'success' | 'exception';
    result?: RemoteValue;
    exceptionDetails?: { text: string };
  }>('script.evaluate', {
    expression: `(async () => JSON.stringify(await (${expression})))()`,
    target: { context },
    awaitPromise: true,
    resultOwnership: 'none',
  });
  if (r.type === 'exception') throw new Error(r.exceptionDetails?.text ?? 'script.evaluate threw');
  const v = r.result;
  if (v?.type !== 'string') return undefined as T;
  return JSON.parse(v.value as string) as T;
}
