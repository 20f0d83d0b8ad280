// Builds message objects from one frame's worth of packed messages (src/wasm/batch.rs): `text`
// holds every string field back to back, `nums` has STRIDE numbers per message (offsets into
// `text` in UTF-16 units, or into `bytes` for binary data), `bytes` the binary payloads. One
// TextDecoder call per frame (for `text`, by the caller's glue) instead of one per field:
// `substring` is an order of magnitude cheaper than decoding each field on its own.
//
// `nums` and `bytes` may be views into wasm memory, which a later call into wasm can detach:
// everything is read here, before any listener runs.

// Field layout per message; batch.rs writes the same order.
const KIND = 0; // data: 0 none, 1 text, 2 binary, 3 JSON text
const DATA = 1; // start, end
const ID = 3;
const NAME = 5;
const CLIENT_ID = 7;
const CONNECTION_ID = 9;
const ENCODING = 11;
const EXTRAS = 13; // JSON text
const SERIAL = 15;
const TIMESTAMP = 17; // NaN when absent
const ACTION = 18; // -1 when absent
export const STRIDE = 19;

function field(text, nums, i) {
  const start = nums[i];
  return start < 0 ? undefined : text.substring(start, nums[i + 1]);
}

function data(text, nums, bytes, i) {
  const start = nums[i + DATA];
  switch (nums[i + KIND]) {
    case 1:
      return text.substring(start, nums[i + DATA + 1]);
    case 2:
      return bytes.slice(start, nums[i + DATA + 1]); // a copy: `bytes` is wasm memory
    case 3:
      return JSON.parse(text.substring(start, nums[i + DATA + 1]));
    default:
      return undefined;
  }
}

/** The messages of one packed batch, as plain objects shaped like ably-js's InboundMessage. */
export function unpackMessages(text, nums, bytes) {
  const out = new Array(nums.length / STRIDE);
  for (let n = 0, i = 0; i < nums.length; n++, i += STRIDE) {
    const timestamp = nums[i + TIMESTAMP];
    const extras = field(text, nums, i + EXTRAS);
    const m = {
      id: field(text, nums, i + ID),
      name: field(text, nums, i + NAME),
      data: data(text, nums, bytes, i),
      clientId: field(text, nums, i + CLIENT_ID),
      connectionId: field(text, nums, i + CONNECTION_ID),
      timestamp: Number.isNaN(timestamp) ? undefined : timestamp,
      encoding: field(text, nums, i + ENCODING),
      extras: extras === undefined ? undefined : JSON.parse(extras),
    };
    const serial = field(text, nums, i + SERIAL);
    if (serial !== undefined) m.serial = serial;
    if (nums[i + ACTION] >= 0) m.action = nums[i + ACTION];
    out[n] = m;
  }
  return out;
}
