import { Errors } from '../errors.ts';
import type { Message } from '../protocol/types.ts';
import type { Channel } from './channel.ts';

/** Parsed GET /channels/{name}/messages params (RSL2b). `cursor` is ours: the seq to continue past. */
export interface HistoryQuery {
  limit: number;
  direction: 'backwards' | 'forwards';
  start?: number;
  end?: number;
  cursor?: number;
  /** RTL10b `untilAttach`: the channel's serial at attach; nothing published after it is returned. */
  from_serial?: string;
}

export function parseHistoryQuery(q: URLSearchParams, maxLimit: number): HistoryQuery {
  const limit = q.has('limit') ? Number(q.get('limit')) : 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit)
    throw Errors.invalidParam(`Invalid limit ${q.get('limit')}: 1..${maxLimit}`);
  const direction = q.get('direction') ?? 'backwards';
  if (direction !== 'backwards' && direction !== 'forwards')
    throw Errors.invalidParam(`Invalid direction ${direction}`);
  const out: HistoryQuery = { limit, direction };
  for (const k of ['start', 'end', 'cursor'] as const) {
    const v = q.get(k);
    if (v === null || v === '') continue;
    const n = Number(v);
    if (!Number.isFinite(n)) throw Errors.invalidParam(`Invalid ${k} ${v}`);
    out[k] = n;
  }
  if (out.start !== undefined && out.end !== undefined && out.start > out.end)
    throw Errors.invalidParam('start must not be after end');
  const from = q.get('from_serial');
  if (from !== null) {
    if (!/^[0-9a-f]+@\d+$/.test(from))
      throw Errors.invalidParam(`Invalid from_serial ${from}: not a serial of this server`);
    out.from_serial = from;
  }
  return out;
}

export interface HistoryPage {
  items: Message[];
  /** Query for the next page, or undefined on the last page. */
  next?: HistoryQuery;
}

/** One page of retained history, newest first unless `forwards`. */
export function historyPage(channel: Channel, q: HistoryQuery): HistoryPage {
  const h = channel.history;
  const items: Message[] = [];
  const fwd = q.direction === 'forwards';
  let i = fwd ? 0 : h.length - 1;
  const step = fwd ? 1 : -1;
  let lastSeq: number | undefined;
  // A serial of an earlier incarnation of the channel (forgotten, then recreated): everything
  // retained now came after that attach point.
  const until =
    q.from_serial === undefined
      ? Infinity
      : (channel.seqOf(q.from_serial) ?? (q.from_serial.startsWith(`${channel.epoch}@`) ? Infinity : 0));
  for (; i >= 0 && i < h.length; i += step) {
    const e = h.get(i);
    if (e.seq > until) {
      if (fwd) break;
      continue;
    }
    if (q.cursor !== undefined && (fwd ? e.seq <= q.cursor : e.seq >= q.cursor)) continue;
    const ts = e.message.timestamp ?? 0;
    if (q.start !== undefined && ts < q.start) {
      if (fwd) continue;
      break;
    }
    if (q.end !== undefined && ts > q.end) {
      if (fwd) break;
      continue;
    }
    if (items.length === q.limit) return { items, next: { ...q, cursor: lastSeq! } };
    items.push(e.message);
    lastSeq = e.seq;
  }
  return { items };
}

/** `Link` lines, one per rel (ably-rust reads one per line), `./messages?…` (ably-js requires `./`). */
export function linkHeaders(q: HistoryQuery, next: HistoryQuery | undefined): string[] {
  const qs = (x: HistoryQuery) =>
    Object.entries(x)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
      .join('&');
  const first: HistoryQuery = { ...q };
  delete first.cursor;
  const links = [`<./messages?${qs(first)}>; rel="first"`, `<./messages?${qs(q)}>; rel="current"`];
  if (next) links.push(`<./messages?${qs(next)}>; rel="next"`);
  return links;
}
