import { Decoder } from '@msgpack/msgpack';
import { Errors } from '../errors.ts';
import { defaultLimits } from '../limits.ts';
import { exceedsDepth } from './depth.ts';
import type { ProtocolMessage, WireFormat } from '../protocol/types.ts';
import { wsTextFrame } from '../ws/frame.ts';
import { encodeMsgpackFast, encodeMsgpackWsFrame } from './msgpack-out.ts';
import { hasBinary, toJsonWireMessage } from './payload.ts';

/**
 * ProtocolMessage <-> WebSocket frame. JSON peers use text frames, msgpack peers binary frames
 * (one ProtocolMessage per frame). Outbound frames are encoded at most once per format and the
 * bytes shared by every recipient (`OutFrame`).
 */

const msgpackDecoder = new Decoder();

/**
 * A frame to send to many recipients: the complete WebSocket frame is built at most once per format
 * and shared. `release()` drops the bytes once the fan-out is done, so history (which keeps the
 * OutFrame for replay) holds only the ProtocolMessage, not up to two encodings of it.
 */
export class OutFrame {
  private wireJson: Buffer | undefined;
  private wireMsgpack: Buffer | undefined;
  constructor(readonly pm: ProtocolMessage) {}
  /** The complete WebSocket frame (text for JSON, binary for msgpack). */
  wire(format: WireFormat): Buffer {
    if (format === 'json') return (this.wireJson ??= jsonWsFrame(this.pm));
    return (this.wireMsgpack ??= encodeMsgpackWsFrame(this.pm));
  }
  release(): void {
    this.wireJson = this.wireMsgpack = undefined;
  }
}

/** A ProtocolMessage as a complete WebSocket frame in `format`. */
export function wsFrameOf(pm: ProtocolMessage | Record<string, unknown>, format: WireFormat): Buffer {
  return format === 'json' ? jsonWsFrame(pm) : encodeMsgpackWsFrame(pm);
}

function jsonWsFrame(pm: ProtocolMessage | Record<string, unknown>): Buffer {
  const p = pm as ProtocolMessage;
  return wsTextFrame(
    JSON.stringify(hasBinary(p.messages) ? { ...p, messages: p.messages!.map(toJsonWireMessage) } : pm),
  );
}

export function encodeJson(pm: ProtocolMessage | Record<string, unknown>): Buffer {
  const p = pm as ProtocolMessage;
  const wire = hasBinary(p.messages) ? { ...p, messages: p.messages!.map(toJsonWireMessage) } : pm;
  return Buffer.from(JSON.stringify(wire));
}

/** msgpack for outbound frames and HTTP bodies: our fast encoder (codec/msgpack-out.ts). */
export function encodeMsgpack(pm: ProtocolMessage | Record<string, unknown> | unknown[]): Buffer {
  return encodeMsgpackFast(pm);
}

/** Decodes one inbound frame; throws AblyError 40000 on anything that is not a ProtocolMessage. */
export function decodeFrame(
  data: Buffer,
  isBinary: boolean,
  format: WireFormat,
  maxDepth = defaultLimits.maxInputDepth,
): ProtocolMessage {
  let value: unknown;
  if (format === 'json') {
    if (isBinary) throw Errors.badRequest('Binary frame on a JSON (format=json) connection');
    try {
      value = JSON.parse(data.toString('utf8'));
    } catch {
      throw Errors.badRequest('Malformed JSON frame');
    }
  } else {
    if (!isBinary) throw Errors.badRequest('Text frame on a msgpack (format=msgpack) connection');
    try {
      value = msgpackDecoder.decode(data);
    } catch {
      throw Errors.badRequest('Malformed msgpack frame');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw Errors.badRequest('Frame is not a ProtocolMessage object');
  }
  if (exceedsDepth(value, maxDepth)) throw Errors.badRequest(`ProtocolMessage nested deeper than ${maxDepth} levels`);
  const pm = value as ProtocolMessage;
  if (typeof pm.action !== 'number' || !Number.isInteger(pm.action)) {
    throw Errors.badRequest('ProtocolMessage has no numeric action');
  }
  if (pm.id !== undefined && typeof pm.id !== 'string')
    throw Errors.badRequest('ProtocolMessage id must be a string (TR4)');
  return pm;
}

/** Decodes an HTTP body by Content-Type; throws 40001 on a malformed body. */
export function decodeBody(
  body: Buffer,
  contentType: string | undefined,
  maxDepth = defaultLimits.maxInputDepth,
): unknown {
  const ct = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  let value: unknown;
  try {
    value = ct === 'application/x-msgpack' ? msgpackDecoder.decode(body) : JSON.parse(body.toString('utf8'));
  } catch {
    throw Errors.invalidBody(`Malformed ${ct === 'application/x-msgpack' ? 'msgpack' : 'JSON'} request body`);
  }
  if (exceedsDepth(value, maxDepth)) throw Errors.invalidBody(`Request body nested deeper than ${maxDepth} levels`);
  return value;
}
