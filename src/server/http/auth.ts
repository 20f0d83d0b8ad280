import type { IncomingMessage } from 'node:http';
import { type Identity, keyIdentity, verifyToken } from '../auth/tokens.ts';
import { Errors } from '../errors.ts';
import type { AppRegistry } from '../store/apps.ts';

/**
 * REST authentication (RSA1–RSA4): `Basic base64(key)`, `Bearer base64(token)` (ably-js) or
 * `Bearer <raw token>` (ably-rust), or `key=` / `access_token=` query params.
 * X-Ably-ClientId (base64 utf-8) sets the clientId of a key-authenticated request (RSA7e2).
 */
export function authenticate(apps: AppRegistry, req: IncomingMessage, q: URLSearchParams, now: number): Identity {
  const h = req.headers.authorization;
  const clientHeader = req.headers['x-ably-clientid'];
  const clientId = typeof clientHeader === 'string' ? Buffer.from(clientHeader, 'base64').toString('utf8') : undefined;
  if (h) {
    const space = h.indexOf(' ');
    const scheme = (space < 0 ? h : h.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : h.slice(space + 1).trim();
    if ((scheme === 'basic' || scheme === 'bearer') && value === '')
      throw Errors.unauthorized(
        `Invalid credentials: Authorization: ${scheme === 'basic' ? 'Basic' : 'Bearer'} without a value`,
      );
    if (scheme === 'basic') {
      return keyIdentity(apps, apps.checkKey(Buffer.from(value, 'base64').toString('utf8')), clientId);
    }
    if (scheme === 'bearer') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const token = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(decoded) ? decoded : value;
      return withClientId(verifyToken(apps, token, now), clientId);
    }
    throw Errors.unauthorized(`Unsupported Authorization scheme ${scheme}`);
  }
  const key = q.get('key');
  if (key) return keyIdentity(apps, apps.checkKey(key), clientId);
  const token = q.get('access_token') ?? q.get('accessToken');
  if (token) return withClientId(verifyToken(apps, token, now), clientId);
  throw Errors.unauthorized('Unauthorized: no credentials (Authorization header, key= or access_token=)');
}

function withClientId(id: Identity, clientId: string | undefined): Identity {
  if (clientId !== undefined && clientId !== id.clientId) {
    if (id.clientId !== '*') throw Errors.incompatibleCredentials('X-Ably-ClientId does not match the token clientId');
    id.clientId = clientId;
  }
  return id;
}
