import { Errors } from './errors.ts';

/**
 * Every limit the server enforces: a named option, its default, and the Ably error a client gets
 * when it is exceeded (as `ws` does for `maxPayload`).
 */
export interface ServerLimits {
  /** Max summed size of the messages in one publish (name+clientId+extras+data bytes, TO3l8). 40009. */
  maxMessageSize: number;
  /** Longest channel name accepted (REST and realtime). 40010. */
  maxChannelNameLength: number;
  /** Max inbound WebSocket frame, checked by us (Ably ERROR 40009, then close). */
  maxFrameSize: number;
  /** Hard cap given to `ws` (close 1009, no Ably error): frames beyond it are never buffered. */
  maxFrameHardCap: number;
  /** Max HTTP request body. 40009 (413). */
  maxRequestBodySize: number;
  /** Channels one connection may have attached at once. Channel-scoped ERROR 90010. */
  maxChannelsPerConnection: number;
  /** Outbound bytes buffered to one socket (ws.bufferedAmount + held frames) before we drop it. 80020. */
  maxOutboundBufferBytes: number;
  /** Concurrent realtime connections per server. 42910 on connect. */
  maxConnections: number;
  /**
   * Open TCP sockets (HTTP and WebSocket) per server; beyond it new ones are closed at once, so
   * idle or slow clients cannot exhaust file descriptors. Above maxConnections, to leave room for REST.
   */
  maxSockets: number;
  /** ms to receive a request's headers (Node `headersTimeout`). 408, Ably error body. */
  httpHeadersTimeout: number;
  /** ms to receive a whole request, body included (Node `requestTimeout`). 408, Ably error body. */
  httpRequestTimeout: number;
  /** Messages kept per channel for history and resume replay. Older ones are evicted. */
  historyPerChannel: number;
  /**
   * Messages kept in history across all channels of one app. Beyond it the least recently used
   * channels that nobody is attached to are forgotten (history, serials, idempotency window), so
   * a long lab run that creates channels per round cannot grow the server without bound.
   */
  maxHistoryPerApp: number;
  /**
   * Channels one app may hold at once (in use or remembered). When a new one would exceed it, idle
   * channels are forgotten first; if every channel is in use, the new one is refused with 40114.
   */
  maxChannelsPerApp: number;
  /**
   * Idle channels (nobody attached, no running blast) an app remembers, with their history. Beyond
   * it the least recently used are forgotten, so churning through channel names cannot grow the server.
   */
  maxIdleChannelsPerApp: number;
  /**
   * ms a channel stays remembered, with its history, once nobody uses it (no attachment, no
   * subscriber, no running blast, no lookup by an attach or a publish). As on Ably, a channel
   * nobody is attached to becomes inactive after a while; here its history goes with it, so an
   * idle server gives its memory back. Checked on every channel lookup and on the server's
   * once-a-second housekeeping tick. Reading history does not count as use.
   */
  idleChannelTtl: number;
  /**
   * Max nesting of a message's `extras` (objects/arrays inside objects). Checked before a message
   * is stored, so every encoder (JSON, msgpack) can carry whatever was accepted: our msgpack
   * encoder allows 64 levels for a whole ProtocolMessage and extras sit 3 levels down (frame →
   * messages → message), so 60 leaves a level to spare. 40013.
   */
  maxExtrasDepth: number;
  /**
   * Max nesting of any decoded frame or request body. Both decoders are iterative, but echoing or
   * encoding a value recurses, so deeper input is refused right after decoding: 40000 (realtime,
   * fatal) or 40001 (REST). Above maxExtrasDepth plus the envelope, so a too-deep `extras` gets
   * its own NACK 40013 and the connection stays.
   */
  maxInputDepth: number;
  /** Remembered message ids per channel for idempotent publishing (RSL1k). */
  idempotencyWindow: number;
  /** Remembered ACK results per connection, to re-ACK re-sent msgSerials after a resume. */
  ackMemory: number;
  /** Max `limit` on GET history (RSL2b3). 40003 beyond. */
  maxHistoryLimit: number;
  /** `connectionDetails.maxIdleInterval` (ms): we send a HEARTBEAT when idle this long / 2. */
  maxIdleInterval: number;
  /** `connectionDetails.connectionStateTtl` (ms): how long a dropped connection can be resumed. */
  connectionStateTtl: number;
  /** Token TTL when a token request gives none (ms); and the max allowed (ms). 40003 beyond. */
  defaultTokenTtl: number;
  maxTokenTtl: number;
  /** Max age of a signed token request timestamp (ms). 40104. */
  tokenRequestMaxAge: number;
  /** listen() backlog, so many connections opening at once are not refused by the kernel. */
  listenBacklog: number;
}

export const defaultLimits: ServerLimits = {
  maxMessageSize: 65536,
  maxFrameSize: 524288,
  maxChannelNameLength: 1024,
  maxFrameHardCap: 4 * 524288,
  maxRequestBodySize: 2 * 1024 * 1024,
  maxChannelsPerConnection: 1000,
  maxOutboundBufferBytes: 4 * 1024 * 1024,
  maxConnections: 20000,
  maxSockets: 21000,
  httpHeadersTimeout: 10000,
  httpRequestTimeout: 30000,
  historyPerChannel: 10000,
  maxHistoryPerApp: 200000,
  maxExtrasDepth: 60,
  maxInputDepth: 128,
  maxChannelsPerApp: 50000,
  maxIdleChannelsPerApp: 10000,
  idleChannelTtl: 10 * 60 * 1000,
  idempotencyWindow: 10000,
  ackMemory: 1000,
  maxHistoryLimit: 1000,
  maxIdleInterval: 15000,
  connectionStateTtl: 120000,
  defaultTokenTtl: 60 * 60 * 1000,
  maxTokenTtl: 24 * 60 * 60 * 1000,
  tokenRequestMaxAge: 10 * 60 * 1000,
  listenBacklog: 4096,
};

/** The error each limit maps to (for documentation and tests). */
export const limitErrors = {
  maxMessageSize: Errors.messageTooLarge,
  maxFrameSize: Errors.messageTooLarge,
  maxRequestBodySize: Errors.messageTooLarge,
  maxChannelsPerConnection: Errors.tooManyChannels,
  maxOutboundBufferBytes: Errors.slowConsumer,
  maxConnections: Errors.tooManyConnections,
  maxHistoryLimit: Errors.invalidParam,
  maxChannelsPerApp: Errors.channelLimit,
  maxExtrasDepth: Errors.invalidMessageData,
  maxChannelNameLength: Errors.invalidChannelName,
  maxInputDepth: Errors.badRequest,
} as const;
