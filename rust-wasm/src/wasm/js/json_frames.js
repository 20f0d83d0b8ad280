// JSON MESSAGE frames, parsed with the engine's JSON.parse instead of being copied into wasm
// and decoded there: the core only needs the frame's channel and channelSerial (RTL15b, RTL17),
// which the shell hands it; the messages are built here. Every other frame (ACK, ATTACHED, …)
// still goes to the core as text. A frame this file does not fully understand (a field of an
// unexpected type, an oversized frame) also goes to the core, which reports it as before.
// Nesting depth is not limited here: the core's limit protects the wasm stack, and JSON.parse
// does not use it.

const ACTION_MESSAGE = 15;
// The core's frame limit (codec Limits::max_frame_size), in UTF-16 units here.
const MAX_FRAME = 1 << 20;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const isOptString = (v) => v === undefined || v === null || typeof v === 'string';
const isOptNumber = (v) => v === undefined || v === null || typeof v === 'number';
const opt = (v) => (v === null ? undefined : v);

function wellFormed(pm) {
  if (!isOptString(pm.id) || !isOptString(pm.connectionId) || !isOptNumber(pm.timestamp)) return false;
  if (!isOptString(pm.channelSerial)) return false;
  for (const m of pm.messages) {
    if (m === null || typeof m !== 'object' || Array.isArray(m)) return false;
    if (!isOptString(m.id) || !isOptString(m.name) || !isOptString(m.clientId) || !isOptString(m.connectionId))
      return false;
    if (!isOptString(m.encoding) || !isOptString(m.serial) || !isOptNumber(m.timestamp) || !isOptNumber(m.action))
      return false;
    if (m.extras !== undefined && m.extras !== null && typeof m.extras !== 'object') return false;
  }
  return true;
}

/** The parsed frame if `data` is a JSON MESSAGE frame this file can deliver, else undefined. */
export function messageFrame(data) {
  if (typeof data !== 'string' || data.length > MAX_FRAME || !data.includes('"messages"')) return undefined;
  let pm;
  try {
    pm = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (pm === null || pm.action !== ACTION_MESSAGE || typeof pm.channel !== 'string' || !Array.isArray(pm.messages))
    return undefined;
  return wellFormed(pm) ? pm : undefined;
}

function base64ToBytes(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// One step of the encoding chain (RSL6a); throws if the payload does not fit the step, returns
// `undefined` for a step this SDK does not undo (cipher, vcdiff): decoding stops there (RSL6b).
function undo(step, data) {
  switch (step) {
    case 'base64':
      return typeof data === 'string' ? base64ToBytes(data) : data instanceof Uint8Array ? data : undefined;
    case 'utf-8':
      return data instanceof Uint8Array ? utf8.decode(data) : typeof data === 'string' ? data : undefined;
    case 'json':
      return JSON.parse(data instanceof Uint8Array ? utf8.decode(data) : typeof data === 'string' ? data : undefined);
    default:
      return undefined;
  }
}

/** `[data, encoding left]` after undoing the chain right to left, as the core's payload.rs. */
function decode(data, encoding) {
  if (encoding === undefined || encoding === '') return [data, undefined];
  let left = encoding;
  while (left !== '') {
    const i = left.lastIndexOf('/');
    const step = left.substring(i + 1);
    let next;
    try {
      next = undo(step, data);
    } catch {
      break; // malformed payload: keep it and the steps left
    }
    if (next === undefined) break;
    data = next;
    left = i < 0 ? '' : left.substring(0, i);
  }
  return [data, left === '' ? undefined : left];
}

/** The frame's messages shaped like the core's (TM2a/TM2c/TM2f filled from the frame). */
export function frameMessages(pm) {
  const frameId = opt(pm.id);
  const out = new Array(pm.messages.length);
  for (let i = 0; i < out.length; i++) {
    const w = pm.messages[i];
    const [data, encoding] = decode(opt(w.data), opt(w.encoding));
    const m = {
      id: opt(w.id) ?? (frameId === undefined ? undefined : `${frameId}:${i}`),
      name: opt(w.name),
      data,
      clientId: opt(w.clientId),
      connectionId: opt(w.connectionId) ?? opt(pm.connectionId),
      timestamp: opt(w.timestamp) ?? opt(pm.timestamp),
      encoding,
      extras: opt(w.extras),
    };
    if (typeof w.serial === 'string') m.serial = w.serial;
    if (typeof w.action === 'number') m.action = w.action;
    out[i] = m;
  }
  return out;
}
