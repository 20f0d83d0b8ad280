import { Errors } from '../errors.ts';
import type { ServerLimits } from '../limits.ts';
import type { Metrics } from '../metrics.ts';
import type { Message } from '../protocol/types.ts';
import type { App } from '../store/apps.ts';
import type { Channel, Subscriber } from '../store/channel.ts';
import { validChannelName } from '../store/channel-name.ts';

/**
 * The lab's blast hook (`POST /lab/channels/blast`): the server itself publishes N numbered
 * messages to a channel through the normal publish path (serials, history, resume replay, one
 * encoding per format shared by every subscriber), so a subscriber's throughput can be measured
 * without a client publisher being the bottleneck.
 *
 * Backpressure: frames are produced in chunks (≤ 64 frames, ≤ 256 KiB), yielding to the event loop
 * after each one, and the blast waits while a subscriber has more than a quarter of
 * `maxOutboundBufferBytes` unread until it is down to an eighth. A subscriber that makes no progress
 * for `stallMs` is no longer waited for: it then meets the normal slow-consumer limit like any
 * other fan-out. Paused (lab) subscribers are never waited for.
 */

/** The synthetic publisher: blast messages carry this connectionId (no real connection has it). */
export const BLAST_CONNECTION_ID = 'lab-blast';

export type BlastEncoding = 'none' | 'json' | 'binary';

export interface BlastParams {
  channel: string;
  count: number;
  size: number;
  perFrame: number;
  encoding: BlastEncoding;
  stallMs: number;
}

export interface BlastResult {
  published: number;
  frames: number;
  elapsedMs: number;
  /** Subscribers attached when the blast started. */
  subscribers: number;
  /** Subscribers the blast stopped waiting for (no progress for stallMs). */
  stalled: number;
  /** Serial of the last message published. */
  channelSerial: string;
}

const MAX_COUNT = 1_000_000;
const MAX_SIZE = 65536;
const MAX_PER_FRAME = 1000;
const CHUNK_FRAMES = 64;
const CHUNK_BYTES = 256 * 1024;

function intParam(q: URLSearchParams, name: string, min: number, max: number, def?: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') {
    if (def !== undefined) return def;
    throw Errors.invalidParam(`${name} is required (integer ${min}..${max})`);
  }
  const v = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(v) || v < min || v > max)
    throw Errors.invalidParam(`${name} must be an integer ${min}..${max}, got ${JSON.stringify(raw)}`);
  return v;
}

/** The `channel` query parameter, checked by the server's one channel-name rule (store/channel-name.ts). */
export function channelParam(q: URLSearchParams, limits: ServerLimits): string {
  const name = q.get('channel');
  if (name === null || name === '') throw Errors.invalidChannelName('channel is required');
  return validChannelName(name, limits);
}

/** Validates the query (40003 / 40010, status 400). */
export function parseBlastParams(q: URLSearchParams, limits: ServerLimits): BlastParams {
  const channel = channelParam(q, limits);
  const count = intParam(q, 'count', 1, MAX_COUNT);
  const size = intParam(q, 'size', 0, MAX_SIZE, 100);
  const perFrame = intParam(q, 'perFrame', 1, MAX_PER_FRAME, 1);
  const stallMs = intParam(q, 'stallMs', 10, 600000, 2000);
  const enc = q.get('encoding') ?? 'none';
  if (enc !== 'none' && enc !== 'json' && enc !== 'binary')
    throw Errors.invalidParam(`encoding must be none, json or binary, got ${JSON.stringify(enc)}`);
  if (enc === 'json' && size < 8)
    throw Errors.invalidParam('size must be at least 8 with encoding=json (the data is {"d":"x…"})');
  // The same limit a publisher meets: the summed size of the messages in one ProtocolMessage (TO3l8).
  const frameSize = Math.min(perFrame, count) * (size + String(count - 1).length);
  if (frameSize > limits.maxMessageSize) {
    throw Errors.invalidParam(
      `perFrame × (size + name length) = ${frameSize} bytes exceeds maxMessageSize ${limits.maxMessageSize}`,
    );
  }
  return { channel, count, size, perFrame, encoding: enc, stallMs };
}

/** The payload every message shares (ASCII, exactly `size` bytes). */
function payload(size: number, encoding: BlastEncoding): Pick<Message, 'data' | 'encoding'> {
  if (encoding === 'binary') return { data: new Uint8Array(size).fill(0x78) };
  if (encoding === 'json') return { data: `{"d":"${'x'.repeat(size - 8)}"}`, encoding: 'json' };
  return { data: 'x'.repeat(size) };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const tick = () => new Promise<void>((r) => setImmediate(r));

/** Frame ids `lab-blast:<n>` keep increasing across blasts (like one connection's msgSerial), so message ids never repeat. */
let nextFrame = 0;

/**
 * Waits until no subscriber (that can drain and is not given up on) has more than `high` bytes
 * unread; one over `high` is waited for until it is at `low` or has made no progress for `stallMs`.
 */
async function paced(
  channel: Channel,
  high: number,
  low: number,
  stallMs: number,
  stalled: Set<Subscriber>,
  aborted: () => boolean,
): Promise<void> {
  for (;;) {
    let worst: Subscriber | undefined;
    let worstBytes = high;
    for (const s of channel.subscribers) {
      const b = s.backlog?.();
      if (b !== undefined && b > worstBytes && !stalled.has(s)) {
        worst = s;
        worstBytes = b;
      }
    }
    if (!worst) return;
    let best = worstBytes;
    let since = Date.now();
    for (;;) {
      await sleep(1);
      if (aborted()) return;
      const b = worst.backlog?.();
      if (b === undefined || b <= low || !channel.subscribers.has(worst)) break;
      const now = Date.now();
      if (b < best) {
        best = b;
        since = now;
      } else if (now - since >= stallMs) {
        stalled.add(worst);
        break;
      }
    }
  }
}

/**
 * Publishes `p.count` messages named "0".."count-1" in frames of `p.perFrame`, as if a publisher
 * with connectionId `lab-blast` had sent them. Resolves once every frame has been handed to the
 * subscribers' sockets; stops early (resolving with what was published) if `aborted()` turns true.
 */
export async function blast(
  app: App,
  metrics: Metrics,
  limits: ServerLimits,
  p: BlastParams,
  aborted: () => boolean = () => false,
): Promise<BlastResult> {
  const t0 = performance.now();
  const pay = payload(p.size, p.encoding);
  const high = Math.max(64 * 1024, Math.floor(limits.maxOutboundBufferBytes / 4));
  const low = Math.floor(high / 2);
  const channel = app.channel(p.channel);
  const subscribers = channel.subscribers.size;
  const stalled = new Set<Subscriber>();
  // Rough wire bytes of one frame (JSON; msgpack is smaller), to bound a chunk's bytes too.
  const frameBytes = Math.min(p.perFrame, p.count) * (p.size * (p.encoding === 'binary' ? 4 / 3 : 1) + 130) + 120;
  const chunk = Math.max(1, Math.min(CHUNK_FRAMES, Math.floor(CHUNK_BYTES / frameBytes)));
  let seq = 0;
  let frames = 0;
  let serial = channel.currentSerial;
  channel.pin(); // the app must not forget it mid-blast: later frames would reach nobody
  try {
    while (seq < p.count) {
      if (aborted()) break;
      for (let f = 0; f < chunk && seq < p.count; f++) {
        const k = Math.min(p.perFrame, p.count - seq);
        const frameId = `${BLAST_CONNECTION_ID}:${nextFrame++}`;
        const timestamp = Date.now();
        const messages: Message[] = new Array(k);
        for (let i = 0; i < k; i++) {
          messages[i] = {
            id: `${frameId}:${i}`,
            name: String(seq + i),
            ...pay,
            connectionId: BLAST_CONNECTION_ID,
            timestamp,
          };
        }
        const serials = channel.publish(messages, { connectionId: BLAST_CONNECTION_ID, frameId, timestamp });
        serial = serials[k - 1]!;
        seq += k;
        frames++;
        metrics.messagesIn += k;
        metrics.messagesBlasted += k;
      }
      await tick(); // let sockets flush (uncork) and other clients be served
      await paced(channel, high, low, p.stallMs, stalled, aborted);
      app.channel(p.channel); // keeps it the most recently used (pinned: the same object)
    }
  } finally {
    channel.unpin();
  }
  return {
    published: seq,
    frames,
    elapsedMs: Math.round((performance.now() - t0) * 100) / 100,
    subscribers,
    stalled: stalled.size,
    channelSerial: serial,
  };
}
