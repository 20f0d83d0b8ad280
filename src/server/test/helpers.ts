import * as Ably from 'ably';
import WebSocket from 'ws';
import { decode, encode } from '@msgpack/msgpack';
import { startServer, type ServerHandle, type StartOptions } from '../index.ts';

/** Client options that keep ably-js on loopback only (the lab's options: docs/method.md#arms). */
export function loopback(server: ServerHandle, extra: Ably.ClientOptions = {}): Ably.ClientOptions {
  return {
    endpoint: '127.0.0.1',
    port: server.port,
    tls: false,
    transports: ['web_socket'],
    disableConnectivityCheck: true,
    wsConnectivityCheckUrl: `ws://127.0.0.1:${server.port}/ws-up`,
    fallbackHosts: [],
    logLevel: 0,
    ...(extra.token || extra.authCallback || extra.authUrl || extra.tokenDetails ? {} : { key: server.key }),
    ...extra,
  } as Ably.ClientOptions;
}

/** A test fixture: one server plus every client made from it, all closed by `close()`. */
export class Lab {
  private readonly clients: Ably.Realtime[] = [];
  private readonly sockets: WebSocket[] = [];
  private constructor(readonly server: ServerHandle) {}

  static async start(opts: StartOptions = {}): Promise<Lab> {
    return new Lab(await startServer({ port: 0, ...opts }));
  }

  realtime(extra: Ably.ClientOptions = {}): Ably.Realtime {
    const c = new Ably.Realtime(loopback(this.server, extra));
    this.clients.push(c);
    return c;
  }

  rest(extra: Ably.ClientOptions = {}): Ably.Rest {
    return new Ably.Rest(loopback(this.server, extra));
  }

  /** A raw WebSocket client speaking the protocol by hand (for bad input). */
  async raw(query: string, format: 'json' | 'msgpack' = 'json'): Promise<RawClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${this.server.port}/?format=${format}&v=6&${query}`);
    this.sockets.push(ws);
    const client = new RawClient(ws, format);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  /** Calls a lab hook with the default key. */
  async lab(method: string, path: string): Promise<unknown> {
    const r = await fetch(`${this.server.url}/lab/${path}`, {
      method,
      headers: { authorization: `Basic ${Buffer.from(this.server.key).toString('base64')}` },
    });
    if (!r.ok) throw new Error(`lab ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.close();
    for (const s of this.sockets) s.terminate();
    await this.server.close();
  }
}

/** A hand-driven protocol client: sends objects, collects decoded frames. */
export class RawClient {
  readonly frames: Record<string, unknown>[] = [];
  closeCode: number | undefined;
  private waiters: Array<() => void> = [];
  constructor(
    readonly ws: WebSocket,
    readonly format: 'json' | 'msgpack',
  ) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.frames.push((isBinary ? decode(data) : JSON.parse(data.toString())) as Record<string, unknown>);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
    ws.on('error', () => {});
  }
  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  send(pm: unknown): void {
    this.ws.send(this.format === 'json' ? JSON.stringify(pm) : encode(pm));
  }
  sendRaw(data: string | Buffer, binary: boolean): void {
    this.ws.send(data, { binary });
  }
  /** Waits for a frame matching `pred` (searching already-received frames too). */
  async next(pred: (f: Record<string, unknown>) => boolean, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = this.frames.find(pred);
      if (f) return f;
      if (Date.now() > deadline)
        throw new Error(`timeout waiting for frame; got ${JSON.stringify(this.frames).slice(0, 500)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
  async closed(timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === undefined) {
      if (Date.now() > deadline) throw new Error('socket not closed');
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.closeCode;
  }
}

export async function waitFor(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timeout waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Resolves when connected, including if it already is (`once` would wait for the next event). */
export async function connected(c: Ably.Realtime): Promise<void> {
  await c.connection.whenState('connected');
}

export { Ably };
