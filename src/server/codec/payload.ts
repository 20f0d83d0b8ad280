import { Errors } from '../errors.ts';
import { defaultLimits } from '../limits.ts';
import { exceedsDepth } from './depth.ts';
import type { Message, WireFormat } from '../protocol/types.ts';

/**
 * Payload transcoding (RSL4/RSL6, ably-js basemessage.ts encodeDataForWire/decodeData).
 * Canonical form inside the server: binary data is bytes, with the trailing `base64` step removed
 * from `encoding`. JSON peers get base64 text plus `…/base64`; msgpack peers get `bin`.
 */

/** Validates one inbound message and returns it in canonical form (a new object; `size` stripped). */
export function canonicalMessage(
  raw: unknown,
  format: WireFormat,
  maxExtrasDepth = defaultLimits.maxExtrasDepth,
): Message {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw Errors.invalidMessageData('Message must be an object');
  }
  const m = raw as Record<string, unknown>;
  const out: Message = {};
  if (m.id !== undefined && m.id !== null) {
    if (typeof m.id !== 'string') throw Errors.invalidMessageData('Message id must be a string');
    out.id = m.id;
  }
  if (m.name !== undefined && m.name !== null) {
    if (typeof m.name !== 'string') throw Errors.invalidMessageData('Message name must be a string');
    out.name = m.name;
  }
  if (m.clientId !== undefined && m.clientId !== null) {
    if (typeof m.clientId !== 'string') throw Errors.invalidClientId('Message clientId must be a string');
    out.clientId = m.clientId;
  }
  if (m.extras !== undefined && m.extras !== null) {
    if (typeof m.extras !== 'object' || Array.isArray(m.extras))
      throw Errors.invalidMessageData('Message extras must be an object');
    if (exceedsDepth(m.extras, maxExtrasDepth))
      throw Errors.invalidMessageData(`Message extras nested deeper than ${maxExtrasDepth} levels`);
    out.extras = m.extras as Record<string, unknown>;
  }
  if (m.action !== undefined && m.action !== null) {
    if (typeof m.action !== 'number') throw Errors.invalidMessageData('Message action must be a number');
    // TM5: 0 is message.create; update, delete, append… need mutable messages, which this server does not offer
    if (m.action !== 0)
      throw Errors.badRequest(`Message action ${m.action} (update/delete/append…) is not supported by the lab server`);
    out.action = m.action;
  }
  let encoding: string | undefined;
  if (m.encoding !== undefined && m.encoding !== null) {
    if (typeof m.encoding !== 'string') throw Errors.invalidMessageData('Message encoding must be a string');
    encoding = m.encoding || undefined;
  }
  let data = m.data;
  if (data !== undefined && data !== null) {
    if (typeof data === 'string') {
      if (encoding !== undefined && (encoding === 'base64' || encoding.endsWith('/base64'))) {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 === 1) {
          throw Errors.invalidMessageData('Message data is not valid base64');
        }
        data = new Uint8Array(Buffer.from(data, 'base64'));
        encoding = encoding === 'base64' ? undefined : encoding.slice(0, -'/base64'.length);
      }
    } else if (data instanceof Uint8Array) {
      if (format === 'json') throw Errors.invalidMessageData('Binary data in a JSON message');
    } else {
      throw Errors.invalidMessageData(`Unsupported message data type: ${typeof data}`);
    }
    out.data = data as string | Uint8Array;
  }
  if (encoding !== undefined) out.encoding = encoding;
  return out; // unknown fields (and ably-js's non-spec `size`) are dropped
}

const utf8 = new TextEncoder();

/** Size as counted by TO3l8: name + clientId + JSON(extras) + data bytes. */
export function messageSize(m: Message): number {
  let n = 0;
  if (m.name) n += m.name.length;
  if (m.clientId) n += m.clientId.length;
  if (m.extras) n += JSON.stringify(m.extras).length;
  const d = m.data;
  if (typeof d === 'string') n += d.length < 128 && isAscii(d) ? d.length : utf8.encode(d).length;
  else if (d instanceof Uint8Array) n += d.byteLength;
  return n;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/** The JSON wire form of a message: bytes become base64 with `base64` appended to the encoding. */
export function toJsonWireMessage(m: Message): Message | Record<string, unknown> {
  if (!(m.data instanceof Uint8Array)) return m;
  return {
    ...m,
    data: Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength).toString('base64'),
    encoding: m.encoding ? `${m.encoding}/base64` : 'base64',
  };
}

export function hasBinary(messages: Message[] | undefined): boolean {
  if (!messages) return false;
  for (const m of messages) if (m.data instanceof Uint8Array) return true;
  return false;
}
