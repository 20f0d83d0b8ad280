//! Hand-written TypeScript for the values wasm-bindgen only knows as `any`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** Client options (TO3); names as in ably-js. Timeouts in ms. */
export interface ClientOptions {
  /** `appId.keyId:secret` (basic auth). */
  key?: string;
  /** A token string (`access_token=` / `Bearer`). */
  token?: string;
  /** Host name or IP, used verbatim. Default `main.realtime.ably.net`. */
  endpoint?: string;
  /** Alias of `endpoint`. */
  host?: string;
  /** Default 443 with TLS, 80 without. */
  port?: number;
  /** Default true. */
  tls?: boolean;
  /** msgpack (true, default) or JSON frames and bodies. */
  useBinaryProtocol?: boolean;
  clientId?: string;
  /** Default true. */
  echoMessages?: boolean;
  /** RealtimeClient only: connect in the constructor. Default true. */
  autoConnect?: boolean;
  /** Default true (RSL1k). */
  idempotentRestPublishing?: boolean;
  /**
   * RealtimeClient only: a key from `createRecoveryKey()` (this SDK's or ably-js's) to recover
   * that connection on the first connect (RTN16). An unreadable key is ignored (a warning, and
   * `errorReason` code 40000).
   */
  recover?: string;
  /** Extra realtime query parameters. */
  transportParams?: Record<string, string | number | boolean>;
  realtimeRequestTimeout?: number;
  webSocketConnectTimeout?: number;
  disconnectedRetryTimeout?: number;
  suspendedRetryTimeout?: number;
  channelRetryTimeout?: number;
  connectionStateTtl?: number;
  httpRequestTimeout?: number;
}

/** An Ably error (TI1): a JS `Error` with `code` and `statusCode`, like ably-js's ErrorInfo. */
export interface ErrorInfo extends Error {
  code: number;
  statusCode: number;
  href?: string;
}

/** What `publish` accepts as `data`. Objects and arrays are sent as JSON. */
export type MessageData = string | ArrayBuffer | ArrayBufferView | object | null | undefined;

export interface OutboundMessage {
  name?: string;
  data?: MessageData;
  /** Your own id (disables automatic idempotent ids on REST). */
  id?: string;
  clientId?: string;
  extras?: object;
}

/** A received message. `data` is a string, a Uint8Array (binary) or the parsed JSON value. */
export interface InboundMessage {
  id?: string;
  name?: string;
  data?: string | Uint8Array | unknown;
  clientId?: string;
  connectionId?: string;
  timestamp?: number;
  /** Encoding steps this SDK could not undo (e.g. `cipher+…`); normally undefined. */
  encoding?: string;
  extras?: unknown;
  serial?: string;
  action?: number;
}

/** ACK result: one serial per message. */
export interface PublishResult {
  serials: (string | null)[];
}

export type ConnectionState =
  | 'initialized' | 'connecting' | 'connected' | 'disconnected'
  | 'suspended' | 'closing' | 'closed' | 'failed';
export type ConnectionEvent = ConnectionState | 'update';

export interface ConnectionStateChange {
  previous: ConnectionState;
  current: ConnectionState;
  event: ConnectionEvent;
  reason?: ErrorInfo;
  /** ms until the next attempt, in disconnected/suspended. */
  retryIn?: number;
}

export type ChannelState =
  | 'initialized' | 'attaching' | 'attached' | 'detaching' | 'detached' | 'suspended' | 'failed';
export type ChannelEvent = ChannelState | 'update';

export interface ChannelStateChange {
  previous: ChannelState;
  current: ChannelState;
  event: ChannelEvent;
  reason?: ErrorInfo;
  /** ATTACHED with RESUMED: no message was lost across a reconnection (RTL4j). */
  resumed: boolean;
}

export interface HistoryParams {
  start?: number;
  end?: number;
  direction?: 'backwards' | 'forwards';
  /** At most 1000. */
  limit?: number;
}

// Methods with optional arguments and overloads, merged into the generated classes.
export interface RealtimeClient {
  /** Every connection state change (and `update`). */
  on(callback: (change: ConnectionStateChange) => void): void;
  on(event: ConnectionEvent, callback: (change: ConnectionStateChange) => void): void;
  off(): void;
  off(callback: (change: ConnectionStateChange) => void): void;
  off(event: ConnectionEvent, callback?: (change: ConnectionStateChange) => void): void;
}

export interface RealtimeChannel {
  /** Resolves with the ACK's serials; rejects with an ErrorInfo on NACK. */
  publish(name: string, data?: MessageData): Promise<PublishResult>;
  publish(message: OutboundMessage | OutboundMessage[]): Promise<PublishResult>;
  /** Attaches implicitly; the promise is the attach's. */
  subscribe(callback: (message: InboundMessage) => void): Promise<ChannelStateChange | null>;
  subscribe(name: string, callback: (message: InboundMessage) => void): Promise<ChannelStateChange | null>;
  unsubscribe(): void;
  unsubscribe(callback: (message: InboundMessage) => void): void;
  unsubscribe(name: string, callback?: (message: InboundMessage) => void): void;
  on(callback: (change: ChannelStateChange) => void): void;
  on(event: ChannelEvent, callback: (change: ChannelStateChange) => void): void;
  off(): void;
  off(callback: (change: ChannelStateChange) => void): void;
  off(event: ChannelEvent, callback?: (change: ChannelStateChange) => void): void;
}

export interface RestChannel {
  publish(name: string, data?: MessageData): Promise<PublishResult>;
  publish(message: OutboundMessage | OutboundMessage[]): Promise<PublishResult>;
  history(params?: HistoryParams): Promise<PaginatedResult>;
}
"#;
