import type { ErrorInfo } from '../errors.ts';

/** Message payload in canonical server form: binary is always bytes (never base64 text). */
export type MessageData = string | Uint8Array | null | undefined;

/** A Message (TM2) as the server holds it. Wire names are identical in JSON and msgpack. */
export interface Message {
  id?: string;
  name?: string;
  data?: MessageData;
  encoding?: string;
  clientId?: string;
  connectionId?: string;
  timestamp?: number;
  extras?: Record<string, unknown>;
  action?: number;
  serial?: string;
}

/** A ProtocolMessage (TR4). */
export interface ProtocolMessage {
  action: number;
  id?: string;
  flags?: number;
  count?: number;
  error?: ErrorInfo;
  connectionId?: string;
  channel?: string;
  channelSerial?: string;
  msgSerial?: number;
  timestamp?: number;
  messages?: Message[];
  presence?: unknown[];
  auth?: { accessToken?: string };
  connectionDetails?: Record<string, unknown>;
  params?: Record<string, string>;
  res?: Array<{ serials: Array<string | null> }>;
}

export type WireFormat = 'json' | 'msgpack';
