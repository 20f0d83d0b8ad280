import { createHmac, timingSafeEqual } from 'node:crypto';
import { Errors } from '../errors.ts';
import type { ServerLimits } from '../limits.ts';
import type { App, ApiKey, AppRegistry } from '../store/apps.ts';
import { randomId } from '../store/apps.ts';
import { type Capability, capabilityText, intersect, parseCapability } from './capability.ts';

/**
 * Tokens are self-contained: `base64url(JSON claims).base64url(HMAC-SHA256(keySecret, claims))`,
 * so the server keeps no token table and a token dies with its key (or app).
 */

/** Who a request or connection is, once authenticated. */
export interface Identity {
  app: App;
  key: ApiKey;
  capability: Capability;
  /** From the token, or the `clientId` a key-authenticated client declared; `*` = wildcard. */
  clientId?: string;
  /** Token expiry (ms since epoch) when token-authenticated. */
  expires?: number;
  viaToken: boolean;
}

export interface TokenDetails {
  token: string;
  keyName: string;
  issued: number;
  expires: number;
  capability: string;
  clientId?: string;
}

interface Claims {
  k: string;
  i: number;
  x: number;
  c: string;
  n?: string;
  cid?: string;
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export interface TokenParams {
  ttl?: number;
  capability?: string | Capability;
  clientId?: string;
}

export function issueToken(key: ApiKey, params: TokenParams, limits: ServerLimits, now: number): TokenDetails {
  const ttl = params.ttl === undefined || params.ttl === null ? limits.defaultTokenTtl : Number(params.ttl);
  if (!Number.isFinite(ttl) || ttl <= 0 || ttl > limits.maxTokenTtl)
    throw Errors.invalidParam(`Invalid ttl ${String(params.ttl)} (max ${limits.maxTokenTtl} ms)`);
  const requested = params.capability === undefined ? key.capability : parseCapability(params.capability);
  const capability = capabilityText(intersect(key.capability, requested));
  if (params.clientId !== undefined && params.clientId !== null && typeof params.clientId !== 'string')
    throw Errors.invalidClientId('clientId must be a string');
  const claims: Claims = { k: key.keyName, i: now, x: now + ttl, c: capability, n: randomId(6) };
  if (params.clientId) claims.cid = params.clientId;
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const details: TokenDetails = {
    token: `${payload}.${sign(key.secret, payload)}`,
    keyName: key.keyName,
    issued: now,
    expires: claims.x,
    capability,
  };
  if (claims.cid) details.clientId = claims.cid;
  return details;
}

/** Verifies a token string: 40140 if it is not one of ours or the signature fails, 40142 if expired. */
export function verifyToken(apps: AppRegistry, token: string, now: number): Identity {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) throw Errors.tokenInvalid('Invalid token: unrecognised format');
  const payload = token.slice(0, dot);
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  } catch {
    throw Errors.tokenInvalid('Invalid token: unrecognised format');
  }
  if (
    typeof claims !== 'object' ||
    claims === null ||
    typeof claims.k !== 'string' ||
    typeof claims.x !== 'number' ||
    typeof claims.c !== 'string'
  ) {
    throw Errors.tokenInvalid('Invalid token: unrecognised format');
  }
  let key: ApiKey;
  try {
    key = apps.key(claims.k);
  } catch {
    throw Errors.tokenInvalid('Invalid token: its key no longer exists');
  }
  const expected = Buffer.from(sign(key.secret, payload));
  const got = Buffer.from(token.slice(dot + 1));
  if (expected.length !== got.length || !timingSafeEqual(expected, got))
    throw Errors.tokenInvalid('Invalid token: signature mismatch');
  if (claims.x <= now) throw Errors.tokenExpired('Token expired');
  const id: Identity = {
    app: apps.app(key.appId),
    key,
    capability: parseCapability(claims.c),
    expires: claims.x,
    viaToken: true,
  };
  if (claims.cid) id.clientId = claims.cid;
  return id;
}

/** A signed TokenRequest (TE, RSA9): `mac` = HMAC-SHA256 over the fields joined by "\n". */
export interface TokenRequest {
  keyName: string;
  ttl?: number | string;
  capability?: string;
  clientId?: string;
  timestamp: number | string;
  nonce: string;
  mac: string;
}

export function verifyTokenRequest(
  apps: AppRegistry,
  keyName: string,
  tr: TokenRequest,
  limits: ServerLimits,
  now: number,
): TokenDetails {
  if (typeof tr !== 'object' || tr === null || typeof tr.mac !== 'string' || typeof tr.nonce !== 'string')
    throw Errors.invalidBody('Invalid token request: mac and nonce are required');
  if (tr.keyName !== keyName) throw Errors.invalidCredential('Token request keyName does not match the URL');
  const key = apps.key(keyName);
  const text = `${[tr.keyName, tr.ttl ?? '', tr.capability ?? '', tr.clientId ?? '', tr.timestamp ?? '', tr.nonce].join('\n')}\n`;
  const mac = createHmac('sha256', key.secret).update(text).digest('base64');
  if (mac !== tr.mac) throw Errors.unauthorized('Invalid token request: mac does not match');
  const ts = Number(tr.timestamp);
  if (!Number.isFinite(ts) || Math.abs(now - ts) > limits.tokenRequestMaxAge)
    throw Errors.timestampNotCurrent('Token request timestamp not current');
  rememberNonce(key, tr.nonce, now, ts + limits.tokenRequestMaxAge);
  const params: TokenParams = {};
  if (tr.ttl !== undefined && tr.ttl !== '') params.ttl = Number(tr.ttl);
  if (tr.capability) params.capability = tr.capability;
  if (tr.clientId) params.clientId = tr.clientId;
  return issueToken(key, params, limits, now);
}

/**
 * A signed TokenRequest is single-use: its nonce is remembered until its timestamp leaves the
 * accepted window (after which the timestamp check refuses it anyway), and a replay is 40105.
 * Entries are kept in insertion order, so expired ones are dropped from the front.
 */
function rememberNonce(key: ApiKey, nonce: string, now: number, forgetAt: number): void {
  const used = (key.usedNonces ??= new Map());
  for (const [n, until] of used) {
    if (until > now) break;
    used.delete(n);
  }
  if (used.has(nonce)) throw Errors.nonceReplayed('Token request nonce already used (replayed)');
  used.set(nonce, forgetAt);
}

/** Key identity (basic auth). */
export function keyIdentity(apps: AppRegistry, key: ApiKey, clientId?: string): Identity {
  const id: Identity = { app: apps.app(key.appId), key, capability: key.capability, viaToken: false };
  if (clientId) id.clientId = clientId;
  return id;
}
