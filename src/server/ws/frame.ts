/**
 * RFC 6455 server→client frame (FIN, unmasked) around an encoded payload. Built once per fan-out
 * frame and written straight to every subscriber's TCP socket, so per-subscriber cost is one
 * socket write with no framing work (ws's Sender framed every send separately).
 */
export function wsFrame(payload: Uint8Array, binary: boolean): Buffer {
  const n = payload.byteLength;
  const out = Buffer.allocUnsafe(wsHeaderSize(n) + n);
  out.set(payload, writeWsHeader(out, n, binary));
  return out;
}

/** A text frame straight from a string (one allocation, no intermediate Buffer). */
export function wsTextFrame(text: string): Buffer {
  const n = Buffer.byteLength(text, 'utf8');
  const out = Buffer.allocUnsafe(wsHeaderSize(n) + n);
  out.write(text, writeWsHeader(out, n, false), 'utf8');
  return out;
}

export function wsHeaderSize(n: number): number {
  return n < 126 ? 2 : n < 0x10000 ? 4 : 10;
}

/** Writes the header for an n-byte payload at the start of `out`; returns the payload offset. */
export function writeWsHeader(out: Uint8Array, n: number, binary: boolean): number {
  out[0] = 0x80 | (binary ? 0x2 : 0x1);
  if (n < 126) {
    out[1] = n;
    return 2;
  }
  const view = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  if (n < 0x10000) {
    out[1] = 126;
    view.writeUInt16BE(n, 2);
    return 4;
  }
  out[1] = 127;
  view.writeUInt32BE(Math.floor(n / 0x100000000), 2);
  view.writeUInt32BE(n >>> 0, 6);
  return 10;
}
