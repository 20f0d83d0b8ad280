/**
 * The ONE interface every arm implements. Scenarios drive an `SdkAdapter` and
 * never know which SDK is behind it. Adapters run inside the arm's dedicated worker.
 */
import type { ClientSetup, Protocol, SdkKind } from '../lab/types';

export interface PublishMessage {
  readonly name: string;
  readonly data: string;
}

export interface ReceivedMessage {
  readonly name: string | undefined;
  readonly data: unknown;
}

/** Connection states as Ably names them (RTN4); adapters report at least these. */
export type ConnectionState =
  | 'initialized'
  | 'connecting'
  | 'connected'
  | 'disconnected'
  | 'suspended'
  | 'closing'
  | 'closed'
  | 'failed';

export interface RestHandle {
  /** One POST of `messages` (one message = single publish, ten = batch); resolves on 2xx. */
  publish(channel: string, messages: readonly PublishMessage[]): Promise<void>;
  close(): void;
}

export interface RealtimeOptions extends ClientSetup {
  /** Deliver this connection's own messages back to it (Ably `echoMessages`). */
  readonly echo: boolean;
}

export interface RealtimeHandle {
  /** Resolves when the connection is `connected` (immediately if it is); rejects on `failed`. */
  whenConnected(): Promise<void>;
  /** Ably connection id once connected (the lab's fault hooks address connections by it). */
  connectionId(): string | undefined;
  /** Every state change; returns an unsubscribe function. */
  onState(listener: (state: ConnectionState) => void): () => void;
  attach(channel: string): Promise<void>;
  /** Attaches (if needed) and delivers every message of `channel` to `listener`. */
  subscribe(channel: string, listener: (m: ReceivedMessage) => void): Promise<void>;
  /** Publishes; resolves when the server ACKs (RTL6). */
  publish(channel: string, messages: readonly PublishMessage[]): Promise<void>;
  /** Closes the connection (CLOSE → CLOSED, or socket closed) and releases everything. */
  close(): Promise<void>;
}

export interface SdkAdapter {
  readonly sdk: SdkKind;
  /** The SDK's own version string. */
  readonly version: string;
  readonly protocols: readonly Protocol[];
  /**
   * A REST client. Async because an SDK may load its REST code on first use: the Rust SDK ships
   * REST as a second wasm module, so the realtime path (and cold start) never downloads it.
   */
  rest(setup: ClientSetup): Promise<RestHandle>;
  realtime(options: RealtimeOptions): RealtimeHandle;
  /** WebAssembly linear memory in bytes (0 for pure-JS SDKs); no browser API counts it. */
  wasmMemoryBytes(): number;
  /** Live bytes in wasm linear memory (a counting allocator; 0 for pure-JS SDKs). */
  wasmHeapBytes?(): number;
}

/** Each adapter module exports a loader; loading (fetch + compile + init) is part of cold start. */
export type AdapterLoader = () => Promise<SdkAdapter>;

/** The `Authorization` header value for an API key (`appId.keyId:secret`), as Ably's REST API takes it. */
export function basicAuth(key: string): string {
  return `Basic ${btoa(key)}`;
}

/** HTTP(S) and WS(S) base URLs of an endpoint. */
export function baseUrls(setup: ClientSetup): { http: string; ws: string } {
  const { host, port, tls } = setup.endpoint;
  const h = host.includes(':') ? `[${host}]` : host;
  return { http: `${tls ? 'https' : 'http'}://${h}:${port}`, ws: `${tls ? 'wss' : 'ws'}://${h}:${port}` };
}
