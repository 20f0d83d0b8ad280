import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { defaultLimits, type ServerLimits } from './limits.ts';
import { Metrics } from './metrics.ts';
import { Hub } from './protocol/hub.ts';
import { AppRegistry, keyString } from './store/apps.ts';
import { createRouter } from './http/router.ts';
import { Realtime } from './ws/realtime.ts';
import type { Duplex } from 'node:stream';
import { errorInfo, Errors } from './errors.ts';

export interface StartOptions {
  /** 0 = ephemeral. Default 8780. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default app's key `appId.keyId:secret`; default `labapp.root:<random secret>`. */
  key?: string;
  /** Serve a built web app (Vite dist/) at `/` from the same origin. */
  staticDir?: string;
  /** Override any limit (see limits.ts for defaults and error codes). */
  limits?: Partial<ServerLimits>;
}

export interface ServerHandle {
  url: string;
  port: number;
  key: string;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8780;

function parseKey(key: string): { appId: string; keyId: string; secret: string } {
  const m = /^([^.:\s]+)\.([^.:\s]+):(\S+)$/.exec(key);
  if (!m) throw Errors.invalidCredential(`Invalid --key ${key}: expected appId.keyId:secret`);
  return { appId: m[1]!, keyId: m[2]!, secret: m[3]! };
}

/**
 * A request Node's parser refused or timed out, answered the Ably way (status line, `{"error":…}`
 * body, X-Ably-ErrorCode) before closing: 431 for oversized headers, 408 for a timeout, else 400.
 */
function clientError(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'Request headers too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'Request not received in time (headers or body too slow)']
        : [400, 'Bad Request', `Malformed HTTP request${err.code ? ` (${err.code})` : ''}`];
  const body = JSON.stringify({ error: errorInfo(40000, status, message) });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Ably-ErrorCode: 40000\r\nX-Ably-ErrorMessage: ${message}\r\n\r\n${body}`,
  );
}

/** Starts the local Ably-compatible server (HTTP + WebSocket on one port). */
export async function startServer(opts: StartOptions = {}): Promise<ServerHandle> {
  const limits: ServerLimits = { ...defaultLimits, ...opts.limits };
  const host = opts.host ?? '127.0.0.1';
  const apps = new AppRegistry(limits);
  const k = parseKey(opts.key ?? `labapp.root:${randomBytes(18).toString('base64url')}`);
  const defaultApp = apps.createApp(k.appId);
  const key = keyString(defaultApp.addKey(k.keyId, k.secret));
  const metrics = new Metrics();
  const hub = new Hub(apps, limits, metrics);
  const realtime = new Realtime(hub, metrics, limits);
  const deps = { hub, realtime, limits, defaultApp, ...(opts.staticDir ? { staticDir: opts.staticDir } : {}) };
  const route = createRouter(deps);
  const server: Server = createServer(
    {
      headersTimeout: limits.httpHeadersTimeout,
      requestTimeout: limits.httpRequestTimeout,
      // how often Node checks those two timeouts (its default, 30 s, would make them that coarse)
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.httpHeadersTimeout / 4))),
    },
    (req, res) => void route(req, res),
  );
  server.keepAliveTimeout = 5000;
  server.maxConnections = limits.maxSockets;
  server.on('clientError', clientError);
  server.on('upgrade', (req, socket, head) => realtime.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: opts.port ?? DEFAULT_PORT, host, backlog: limits.listenBacklog }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    key,
    close() {
      closing ??= new Promise<void>((resolve) => {
        realtime.close();
        metrics.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
