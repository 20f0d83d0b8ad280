import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeMsgpack } from '../codec/frame.ts';
import { toJsonWireMessage } from '../codec/payload.ts';
import { type AblyError, Errors } from '../errors.ts';
import type { Message } from '../protocol/types.ts';
import { trustedOrigin } from './access.ts';

/** Sent on every response, so the lab page (COEP require-corp) and same-origin workers may read them. */
export const isolationHeaders: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const EXPOSED = 'Link, X-Ably-ErrorCode, X-Ably-ErrorMessage, X-Ably-Serverid';

/** Common headers: isolation + CORS for browser workers on another origin (`--cross-origin`). */
export function baseHeaders(req: IncomingMessage, res: ServerResponse): void {
  for (const [k, v] of Object.entries(isolationHeaders)) res.setHeader(k, v);
  const origin = req.headers.origin;
  if (origin) {
    // ably-js XHR sends credentials (withCredentials) whenever it sends Authorization, so a
    // cross-origin lab page needs its Origin echoed with Allow-Credentials; only loopback origins
    // get that. Any other origin gets `*`: readable public answers, nothing credentialed.
    if (trustedOrigin(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    } else {
      res.setHeader('Access-Control-Allow-Origin', '*');
    }
    res.setHeader('Access-Control-Expose-Headers', EXPOSED);
    res.setHeader('Vary', 'Origin');
  }
}

export function preflight(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
  const requested = req.headers['access-control-request-headers'];
  res.setHeader(
    'Access-Control-Allow-Headers',
    requested ?? 'authorization, content-type, accept, x-ably-version, ably-agent, x-ably-clientid',
  );
  res.setHeader('Access-Control-Max-Age', '86400');
  res.writeHead(204).end();
}

export type Format = 'json' | 'msgpack';

/** Responses follow Accept (Node ably-js decodes a 2xx body in its own format). */
export function acceptFormat(req: IncomingMessage): Format {
  return (req.headers.accept ?? '').includes('application/x-msgpack') ? 'msgpack' : 'json';
}

export function sendData(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  value: unknown,
  headers?: Record<string, string | string[]>,
): void {
  if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (acceptFormat(req) === 'msgpack') {
    const body = encodeMsgpack(value as Record<string, unknown>);
    res.writeHead(status, { 'Content-Type': 'application/x-msgpack', 'Content-Length': body.byteLength }).end(body);
  } else {
    const body = Buffer.from(JSON.stringify(value, binaryToBase64));
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': body.length }).end(body);
  }
}

function binaryToBase64(_k: string, v: unknown): unknown {
  return v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v;
}

/** Messages in the response's wire form (binary → base64 + encoding on JSON). */
export function wireMessages(req: IncomingMessage, messages: Message[]): unknown[] {
  return acceptFormat(req) === 'msgpack' ? messages : messages.map(toJsonWireMessage);
}

/**
 * Errors: `{"error":{…}}`, Content-Type exactly `application/json` (Node ably-js parses the body
 * only then) and the X-Ably-ErrorCode/-Message headers (browser XHR needs them).
 */
export function sendError(res: ServerResponse, err: AblyError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const info = err.toInfo();
  const body = Buffer.from(JSON.stringify({ error: info }));
  res.writeHead(err.statusCode, {
    'Content-Type': 'application/json',
    'Content-Length': body.length,
    'X-Ably-ErrorCode': String(err.code),
    'X-Ably-ErrorMessage': err.message.replace(/[^\x20-\x7e]/g, '?'),
  });
  res.end(body);
}

/** Reads a request body up to `max` bytes; 40009 beyond. */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) {
      req.resume();
      reject(Errors.messageTooLarge(`Request body of ${declared} bytes exceeds maxRequestBodySize ${max}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        reject(Errors.messageTooLarge(`Request body exceeds maxRequestBodySize ${max}`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
