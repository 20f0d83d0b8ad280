/**
 * ProtocolMessage actions (TR2) and flags (TR3) of Ably's wire protocol: the only copy of these
 * tables, shared by the local server (Node) and the raw floor client (browser). Plain data, no
 * runtime APIs.
 */
export const Action = {
  HEARTBEAT: 0,
  ACK: 1,
  NACK: 2,
  CONNECT: 3,
  CONNECTED: 4,
  DISCONNECT: 5,
  DISCONNECTED: 6,
  CLOSE: 7,
  CLOSED: 8,
  ERROR: 9,
  ATTACH: 10,
  ATTACHED: 11,
  DETACH: 12,
  DETACHED: 13,
  PRESENCE: 14,
  MESSAGE: 15,
  SYNC: 16,
  AUTH: 17,
  ACTIVATE: 18,
  OBJECT: 19,
  OBJECT_SYNC: 20,
  ANNOTATION: 21,
} as const;

export const Flag = {
  HAS_PRESENCE: 1 << 0,
  HAS_BACKLOG: 1 << 1,
  RESUMED: 1 << 2,
  TRANSIENT: 1 << 4,
  ATTACH_RESUME: 1 << 5,
  PRESENCE: 1 << 16,
  PUBLISH: 1 << 17,
  SUBSCRIBE: 1 << 18,
  PRESENCE_SUBSCRIBE: 1 << 19,
} as const;

/** Mode names as in channel params (`modes=subscribe,publish`), lowercase like ably-js's ChannelMode. */
export const MODE_BY_NAME: Record<string, number> = {
  presence: Flag.PRESENCE,
  publish: Flag.PUBLISH,
  subscribe: Flag.SUBSCRIBE,
  presence_subscribe: Flag.PRESENCE_SUBSCRIBE,
};

/** The four classic modes (0xF0000), granted when the client asks for none. */
export const ALL_MODES = Flag.PRESENCE | Flag.PUBLISH | Flag.SUBSCRIBE | Flag.PRESENCE_SUBSCRIBE;
export const MODE_MASK = 0xfff0000;
