/**
 * The floor: a minimal Ably protocol v6 client on a bare WebSocket and fetch that does only the
 * wire work — connect, ATTACH/ATTACHED, publish with a msgSerial→ACK queue, MESSAGE dispatch,
 * resume after a drop (re-ATTACH with channelSerial, re-send un-ACKed frames), and REST publish.
 * No Message objects, no encodings, no state machine beyond that: not a reachable target, the
 * cost of the wire itself (docs/method.md#arms).
 */
import { decode as mpDecode, encode as mpEncode } from '@msgpack/msgpack';
import type { ClientSetup } from '../lab/types';
import { Action } from '../wire/actions';
import {
  baseUrls,
  basicAuth,
  type ConnectionState,
  type PublishMessage,
  type ReceivedMessage,
  type RealtimeHandle,
  type RealtimeOptions,
  type RestHandle,
  type SdkAdapter,
} from './adapter';

interface Frame {
  action: number;
  channel?: string;
  channelSerial?: string;
  msgSerial?: number;
  count?: number;
  connectionId?: string;
  connectionDetails?: { connectionKey?: string };
  messages?: { name?: string; data?: unknown }[];
  error?: { message?: string; code?: number };
}

interface Pending {
  serial: number;
  wire: string | Uint8Array;
  resolve(): void;
  reject(e: Error): void;
}

class RawRealtime implements RealtimeHandle {
  private ws: WebSocket | undefined;
  private state: ConnectionState = 'initialized';
  private id: string | undefined;
  private key: string | undefined;
  private serial = 0;
  private readonly pending: Pending[] = [];
  private readonly listeners = new Set<(s: ConnectionState) => void>();
  private readonly attached = new Map<
    string,
    { serial: string | undefined; done: boolean; waiters: { resolve(): void; reject(e: Error): void }[] }
  >();
  private readonly subs = new Map<string, ((m: ReceivedMessage) => void)[]>();
  private readonly binary: boolean;
  private closing = false;
  private closedWaiter: (() => void) | undefined;

  constructor(private readonly opts: RealtimeOptions) {
    this.binary = opts.protocol === 'msgpack';
    this.open();
  }

  private encode(f: Frame): string | Uint8Array {
    return this.binary ? mpEncode(f) : JSON.stringify(f);
  }

  private open(): void {
    const q = new URLSearchParams({
      key: this.opts.key,
      format: this.opts.protocol,
      heartbeats: 'true',
      v: '6',
      echo: String(this.opts.echo),
      clientId: this.opts.clientId,
    });
    if (this.key) q.set('resume', this.key);
    const ws = new WebSocket(`${baseUrls(this.opts).ws}/?${q}`);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.setState('connecting');
    ws.onmessage = (e) =>
      this.onFrame(
        typeof e.data === 'string' ? JSON.parse(e.data) : (mpDecode(new Uint8Array(e.data as ArrayBuffer)) as Frame),
      );
    ws.onclose = () => {
      if (this.ws !== ws) return;
      if (this.closing) {
        this.setState('closed');
        this.closedWaiter?.();
        return;
      }
      // RTN15a: a connected client whose transport drops reconnects at once, resuming.
      this.setState('disconnected');
      this.open();
    };
  }

  private setState(s: ConnectionState): void {
    if (s === this.state) return;
    this.state = s;
    for (const l of this.listeners) l(s);
  }

  private onFrame(f: Frame): void {
    switch (f.action) {
      case Action.MESSAGE: {
        const ch = f.channel!;
        const a = this.attached.get(ch);
        if (a && f.channelSerial) a.serial = f.channelSerial;
        const ls = this.subs.get(ch);
        if (ls && f.messages) for (const m of f.messages) for (const l of ls) l({ name: m.name, data: m.data });
        return;
      }
      case Action.ACK:
      case Action.NACK: {
        const end = f.msgSerial! + (f.count ?? 1);
        while (this.pending.length && this.pending[0]!.serial < end) {
          const p = this.pending.shift()!;
          if (f.action === Action.ACK) p.resolve();
          else p.reject(new Error(`NACK: ${f.error?.message ?? 'no reason'}`));
        }
        return;
      }
      case Action.CONNECTED: {
        const resumed = this.id !== undefined && f.connectionId === this.id;
        this.id = f.connectionId;
        this.key = f.connectionDetails?.connectionKey;
        this.setState('connected');
        if (resumed) {
          // RTN15c6 / RTL4c1: re-attach from the last channelSerial; re-send what was not ACKed.
          for (const [name, a] of this.attached)
            this.send({ action: Action.ATTACH, channel: name, ...(a.serial ? { channelSerial: a.serial } : {}) });
          for (const p of this.pending) this.ws!.send(p.wire);
        } else {
          for (const p of this.pending.splice(0)) p.reject(new Error('connection not resumed'));
          for (const name of this.attached.keys()) this.send({ action: Action.ATTACH, channel: name });
        }
        return;
      }
      case Action.ATTACHED: {
        const a = this.attached.get(f.channel!);
        if (a) {
          if (!a.serial && f.channelSerial) a.serial = f.channelSerial;
          a.done = true;
          for (const w of a.waiters.splice(0)) w.resolve();
        }
        return;
      }
      case Action.ERROR: {
        const err = new Error(`Ably error ${f.error?.code}: ${f.error?.message}`);
        if (f.channel) {
          const a = this.attached.get(f.channel);
          this.attached.delete(f.channel);
          for (const w of a?.waiters ?? []) w.reject(err);
        } else {
          this.setState('failed');
          for (const p of this.pending.splice(0)) p.reject(err);
        }
        return;
      }
      case Action.DISCONNECTED:
        this.ws?.close();
        return;
      case Action.CLOSED:
        this.ws?.close();
        return;
      default:
        return; // HEARTBEAT etc.
    }
  }

  private send(f: Frame): void {
    this.ws!.send(this.encode(f));
  }

  whenConnected(): Promise<void> {
    if (this.state === 'connected') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const off = this.onState((s) => {
        if (s === 'connected') {
          off();
          resolve();
        } else if (s === 'failed' || s === 'closed') {
          off();
          reject(new Error(`connection ${s}`));
        }
      });
    });
  }

  connectionId(): string | undefined {
    return this.id;
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  attach(channel: string): Promise<void> {
    let a = this.attached.get(channel);
    if (a?.done) return Promise.resolve();
    if (!a) {
      a = { serial: undefined, done: false, waiters: [] };
      this.attached.set(channel, a);
      if (this.state === 'connected') this.send({ action: Action.ATTACH, channel });
    }
    const entry = a;
    return new Promise((resolve, reject) => entry.waiters.push({ resolve, reject }));
  }

  async subscribe(channel: string, listener: (m: ReceivedMessage) => void): Promise<void> {
    const ls = this.subs.get(channel) ?? [];
    ls.push(listener);
    this.subs.set(channel, ls);
    await this.attach(channel);
  }

  publish(channel: string, messages: readonly PublishMessage[]): Promise<void> {
    const serial = this.serial++;
    const wire = this.encode({
      action: Action.MESSAGE,
      channel,
      msgSerial: serial,
      messages: messages as PublishMessage[],
    });
    return new Promise((resolve, reject) => {
      this.pending.push({ serial, wire, resolve, reject });
      if (this.state === 'connected') this.ws!.send(wire);
    });
  }

  close(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    this.closing = true;
    return new Promise((resolve) => {
      this.closedWaiter = resolve;
      if (this.ws && this.ws.readyState === WebSocket.OPEN) this.send({ action: Action.CLOSE });
      else this.ws?.close();
      setTimeout(() => this.ws?.close(), 1000);
    });
  }
}

class RawRest implements RestHandle {
  private readonly base: string;
  private readonly auth: string;
  private readonly binary: boolean;
  private counter = 0;
  private readonly idBase = Math.random().toString(36).slice(2, 10);

  constructor(setup: ClientSetup) {
    this.base = baseUrls(setup).http;
    this.auth = basicAuth(setup.key);
    this.binary = setup.protocol === 'msgpack';
  }

  async publish(channel: string, messages: readonly PublishMessage[]): Promise<void> {
    // Idempotent ids as ably-js sends them by default (RSL1k), so both do the same wire work.
    const id = `${this.idBase}${this.counter++}`;
    const body = messages.map((m, i) => ({ name: m.name, data: m.data, id: `${id}:${i}` }));
    const type = this.binary ? 'application/x-msgpack' : 'application/json';
    const res = await fetch(`${this.base}/channels/${encodeURIComponent(channel)}/messages`, {
      method: 'POST',
      headers: { authorization: this.auth, 'content-type': type, accept: type, 'x-ably-version': '6' },
      body: this.binary ? (mpEncode(body) as Uint8Array<ArrayBuffer>) : JSON.stringify(body),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`REST publish: HTTP ${res.status}`);
  }

  close(): void {}
}

export const RAW_VERSION = 'raw-floor-1';

export function rawAdapter(): SdkAdapter {
  return {
    sdk: 'raw',
    version: RAW_VERSION,
    protocols: ['json', 'msgpack'],
    rest: async (setup) => new RawRest(setup),
    realtime: (options) => new RawRealtime(options),
    wasmMemoryBytes: () => 0,
    wasmHeapBytes: () => 0,
  };
}

export const load = async (): Promise<SdkAdapter> => rawAdapter();
