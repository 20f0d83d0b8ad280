import type { IncomingMessage } from 'node:http';
import { Errors } from '../errors.ts';

/**
 * Who may do what from where. The server listens on loopback and any web page the user visits
 * can send it requests, so: credentialed CORS only for loopback origins (the lab page on another
 * local port), and sandbox provisioning only for loopback callers that
 * are not a cross-site page (no foreign Origin, no DNS-rebound Host).
 */

const LOOPBACK_ADDR = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const LOOPBACK_HOSTNAME = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

function hostnameOf(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
}

/**
 * An Origin that may receive `Access-Control-Allow-Credentials`: a loopback one. (The server's
 * own origin needs no CORS; a DNS-rebound page calling itself "same origin" gets none.)
 */
export function trustedOrigin(origin: string): boolean {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file:) and anything malformed
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  return LOOPBACK_HOSTNAME.test(u.hostname);
}

/** `POST /apps`: 40300 unless a loopback peer, addressing a loopback Host, and not a cross-site page. */
export function assertMayProvision(req: IncomingMessage): void {
  const deny = (why: string) =>
    Errors.forbidden(`Sandbox provisioning is only for loopback, same-origin callers: ${why}`);
  if (!LOOPBACK_ADDR.test(req.socket.remoteAddress ?? '')) throw deny('not a loopback peer');
  const host = req.headers.host ?? '';
  if (!LOOPBACK_HOSTNAME.test(hostnameOf(host))) throw deny(`Host ${JSON.stringify(host)} is not a loopback name`);
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let sameOrigin = false;
    try {
      sameOrigin = new URL(origin).host === host;
    } catch {
      // "null" or malformed
    }
    if (!sameOrigin) throw deny(`Origin ${JSON.stringify(origin)} is another site`);
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    throw deny(`Sec-Fetch-Site ${JSON.stringify(site)}`);
}
