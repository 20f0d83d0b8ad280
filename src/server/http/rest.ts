import type { IncomingMessage, ServerResponse } from 'node:http';
import { allows } from '../auth/capability.ts';
import { type Identity, issueToken, type TokenRequest, verifyTokenRequest } from '../auth/tokens.ts';
import { decodeBody } from '../codec/frame.ts';
import { canonicalMessage, messageSize } from '../codec/payload.ts';
import { Errors } from '../errors.ts';
import type { ServerLimits } from '../limits.ts';
import type { Metrics } from '../metrics.ts';
import type { Message } from '../protocol/types.ts';
import { type AppRegistry, randomId } from '../store/apps.ts';
import { validChannelName } from '../store/channel-name.ts';
import { historyPage, linkHeaders, parseHistoryQuery } from '../store/history.ts';
import { authenticate } from './auth.ts';
import { readBody, sendData, wireMessages } from './respond.ts';

export interface RestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  apps: AppRegistry;
  limits: ServerLimits;
  metrics: Metrics;
  now: number;
}

/** `GET /time` → `[ms]` (RSC16), no auth. */
export function time(c: RestContext): void {
  sendData(c.req, c.res, 200, [c.now]);
}

async function body(c: RestContext): Promise<unknown> {
  const buf = await readBody(c.req, c.limits.maxRequestBodySize);
  if (buf.length === 0) throw Errors.invalidBody('Empty request body');
  return decodeBody(buf, c.req.headers['content-type'], c.limits.maxInputDepth);
}

function bodyFormat(c: RestContext): 'json' | 'msgpack' {
  return (c.req.headers['content-type'] ?? '').startsWith('application/x-msgpack') ? 'msgpack' : 'json';
}

/** Validates, stamps and publishes REST messages; returns their serials (RSL1). */
function publishMessages(
  c: RestContext,
  id: Identity,
  channelName: string,
  raw: unknown,
): { messageId: string; serials: string[] } {
  validChannelName(channelName, c.limits);
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw Errors.invalidBody('No messages to publish');
  if (!allows(id.capability, channelName, 'publish'))
    throw Errors.capabilityDenied(`Publish denied on channel ${channelName} by capability`);
  const format = bodyFormat(c);
  const conClient = id.clientId !== '*' ? id.clientId : undefined;
  const base = randomId();
  let size = 0;
  let from: string | undefined; // the one connection all messages are published on behalf of, if any
  const messages: Message[] = list.map((r, i) => {
    const m = canonicalMessage(r, format, c.limits.maxExtrasDepth);
    const key = (r as { connectionKey?: unknown }).connectionKey;
    if (key !== undefined && key !== null) {
      // TM2h: published on behalf of a realtime connection, delivered with its connectionId
      const conn = typeof key === 'string' ? c.apps.connectionOf(key) : undefined;
      if (!conn || conn.app !== id.app)
        throw Errors.invalidConnectionId(`Invalid connectionKey ${String(key)}: no such connection`);
      m.connectionId = conn.connectionId;
    }
    if (i === 0) from = m.connectionId;
    else if (from !== m.connectionId) from = undefined;
    if (m.clientId !== undefined && conClient !== undefined && m.clientId !== conClient)
      throw Errors.invalidClientId(`Message clientId ${m.clientId} does not match ${conClient}`);
    if (m.clientId === undefined && conClient !== undefined) m.clientId = conClient;
    m.id ??= `${base}:${i}`;
    m.timestamp = c.now;
    size += messageSize(m);
    return m;
  });
  if (size > c.limits.maxMessageSize)
    throw Errors.messageTooLarge(`Message size ${size} exceeds maxMessageSize ${c.limits.maxMessageSize}`);
  const channel = id.app.channel(channelName);
  const clientGaveIds = list.some((r) => typeof r === 'object' && r !== null && typeof (r as Message).id === 'string');
  const dup = clientGaveIds ? channel.duplicateOf(messages[0]!.id) : undefined;
  if (dup) return { messageId: messages[0]!.id!, serials: dup };
  c.metrics.messagesIn += messages.length;
  const meta =
    from === undefined
      ? { timestamp: c.now, idempotent: true }
      : { connectionId: from, timestamp: c.now, idempotent: true };
  return { messageId: messages[0]!.id!, serials: channel.publish(messages, meta) };
}

/** `POST /channels/{name}/messages` → 201 `{channel, messageId, serials}` (RSL1). */
export async function publish(c: RestContext, channelName: string): Promise<void> {
  const id = authenticate(c.apps, c.req, c.url.searchParams, c.now);
  const raw = await body(c);
  const r = publishMessages(c, id, channelName, raw);
  sendData(c.req, c.res, 201, { channel: channelName, messageId: r.messageId, serials: r.serials });
}

/** `POST /messages` batch publish: `[{channels, messages}]` → BatchResult
 * (https://ably.com/docs/api/rest-api#batch-publish). */
export async function batchPublish(c: RestContext): Promise<void> {
  const id = authenticate(c.apps, c.req, c.url.searchParams, c.now);
  const raw = await body(c);
  const specs = Array.isArray(raw) ? raw : [raw];
  const out = specs.map((spec) => {
    const s = spec as { channels?: unknown; messages?: unknown };
    const channels = Array.isArray(s?.channels)
      ? s.channels
      : typeof s?.channels === 'string'
        ? [s.channels]
        : undefined;
    if (!channels || channels.some((x) => typeof x !== 'string')) throw Errors.invalidBody('Batch spec needs channels');
    const results = (channels as string[]).map((ch) => {
      try {
        return { channel: ch, ...publishMessages(c, id, ch, s.messages) };
      } catch (e) {
        const err =
          e instanceof Error && 'toInfo' in e
            ? (e as unknown as { toInfo(): unknown }).toInfo()
            : Errors.internal(String(e)).toInfo();
        return { channel: ch, error: err };
      }
    });
    const failureCount = results.filter((r) => 'error' in r).length;
    return { successCount: results.length - failureCount, failureCount, results };
  });
  sendData(c.req, c.res, 201, Array.isArray(raw) ? out : out[0]);
}

/** `GET /channels/{name}/messages` history with Link pagination (RSL2, TG4). */
export function history(c: RestContext, channelName: string): void {
  const id = authenticate(c.apps, c.req, c.url.searchParams, c.now);
  validChannelName(channelName, c.limits);
  if (!allows(id.capability, channelName, 'history'))
    throw Errors.capabilityDenied(`History denied on channel ${channelName} by capability`);
  const q = parseHistoryQuery(c.url.searchParams, c.limits.maxHistoryLimit);
  const channel = id.app.channels.get(channelName);
  const page = channel ? historyPage(channel, q) : { items: [] };
  sendData(c.req, c.res, 200, wireMessages(c.req, page.items), { Link: linkHeaders(q, page.next) });
}

/** `GET /channels/{name}` → ChannelDetails (RSL8). */
export function channelStatus(c: RestContext, channelName: string): void {
  const id = authenticate(c.apps, c.req, c.url.searchParams, c.now);
  validChannelName(channelName, c.limits);
  const ch = id.app.channels.get(channelName);
  const subs = ch?.subscribers.size ?? 0;
  sendData(c.req, c.res, 200, {
    channelId: channelName,
    name: channelName,
    status: {
      isActive: subs > 0,
      occupancy: {
        metrics: {
          connections: subs,
          subscribers: subs,
          publishers: subs,
          presenceConnections: 0,
          presenceMembers: 0,
          presenceSubscribers: 0,
        },
      },
    },
  });
}

/**
 * `POST /keys/{keyName}/requestToken` (RSA8): a signed TokenRequest (HMAC-SHA256 verified, no auth
 * header) or, with Basic auth by that key, plain TokenParams.
 */
export async function requestToken(c: RestContext, keyName: string): Promise<void> {
  const raw = (await body(c)) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null) throw Errors.invalidBody('Token request must be an object');
  if (typeof raw.mac === 'string') {
    sendData(c.req, c.res, 200, verifyTokenRequest(c.apps, keyName, raw as unknown as TokenRequest, c.limits, c.now));
    return;
  }
  const id = authenticate(c.apps, c.req, c.url.searchParams, c.now);
  if (id.viaToken || id.key.keyName !== keyName)
    throw Errors.unauthorized('requestToken without a mac needs Basic auth with that key');
  const params: { ttl?: number; capability?: string; clientId?: string } = {};
  if (raw.ttl !== undefined) params.ttl = Number(raw.ttl);
  if (typeof raw.capability === 'string') params.capability = raw.capability;
  if (typeof raw.clientId === 'string') params.clientId = raw.clientId;
  sendData(c.req, c.res, 200, issueToken(id.key, params, c.limits, c.now));
}
