import { randomBytes } from 'node:crypto';
import { parseCapability } from '../auth/capability.ts';
import { decodeBody } from '../codec/frame.ts';
import { Errors } from '../errors.ts';
import type { Hub } from '../protocol/hub.ts';
import { appJson, randomId } from '../store/apps.ts';
import { assertMayProvision } from './access.ts';
import { authenticate } from './auth.ts';
import { readBody, sendData } from './respond.ts';
import type { RestContext } from './rest.ts';

/**
 * Sandbox provisioning like Ably's test sandbox (ably-common test-app-setup.json): `POST /apps`
 * creates an isolated app with the requested keys; `DELETE /apps/{id}` (Basic auth by one of its
 * keys) removes it, its channels and connections.
 */
export async function createApp(c: RestContext): Promise<void> {
  assertMayProvision(c.req);
  const buf = await readBody(c.req, c.limits.maxRequestBodySize);
  const spec = (buf.length ? decodeBody(buf, c.req.headers['content-type'], c.limits.maxInputDepth) : {}) as {
    keys?: Array<{ capability?: string }>;
    namespaces?: unknown;
  };
  if (typeof spec !== 'object' || spec === null) throw Errors.invalidBody('App spec must be an object');
  // Namespaces (channel rules) are remembered and answered as given; none of their rules are applied.
  const namespaces = spec.namespaces ?? [];
  if (
    !Array.isArray(namespaces) ||
    namespaces.some(
      (n) =>
        typeof n !== 'object' ||
        n === null ||
        typeof (n as { id?: unknown }).id !== 'string' ||
        (n as { id: string }).id === '',
    )
  ) {
    throw Errors.invalidBody('App spec namespaces must be an array of {id, …}');
  }
  const keys = Array.isArray(spec.keys) && spec.keys.length ? spec.keys : [{}];
  const app = c.apps.createApp(randomId(6).replace(/[^A-Za-z0-9]/g, 'x'));
  try {
    for (const k of keys)
      app.addKey(
        randomId(4).replace(/[^A-Za-z0-9]/g, 'x'),
        randomBytes(18).toString('base64url'),
        parseCapability(k?.capability),
      );
  } catch (e) {
    c.apps.deleteApp(app.id);
    throw e;
  }
  sendData(c.req, c.res, 201, {
    ...appJson(app),
    namespaces,
    endpoint: c.url.hostname,
    port: Number(c.url.port),
    tls: false,
  });
}

export function deleteApp(c: RestContext, hub: Hub, appId: string): void {
  const id = authenticate(c.apps, c.req, c.url.searchParams, c.now);
  if (id.app.id !== appId) throw Errors.unauthorized('Credentials are not for this app');
  if (id.viaToken) throw Errors.forbidden('Deleting an app needs a key');
  hub.dropApp(appId);
  c.apps.deleteApp(appId);
  c.res.writeHead(204).end();
}
