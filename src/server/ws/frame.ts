/**
 * RFC 6455 server→client frame (FIN, unmasked) around an encoded payload. Built once per fan-out
 * frame and written straight to every subscriber's TCP socket, so per-subscriber cost is one
 * socket write with no framing work (ws's Sender framed every send separately).
 */
export function wsFrame(payload: Buffer, binary: boolean): Buffer {
  const n = payload.length;
  const opcode = 0x80 | (binary ? 0x2 : 0x1);
  let out: Buffer;
  if (n < 126) {
    out = Buffer.allocUnsafe(2 + n);
    out[0] = opcode;
    out[1] = n;
    payload.copy(out, 2);
  } else if (n < 0x10000) {
    out = Buffer.allocUnsafe(4 + n);
    out[0] = opcode;
    out[1] = 126;
    out.writeUInt16BE(n, 2);
    payload.copy(out, 4);
  } else {
    out = Buffer.allocUnsafe(10 + n);
    out[0] = opcode;
    out[1] = 127;
    out.writeUInt32BE(Math.floor(n / 0x100000000), 2);
    out.writeUInt32BE(n >>> 0, 6);
    payload.copy(out, 10);
  }
  return out;
}
