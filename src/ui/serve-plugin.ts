/**
 * Vite plugin (Node side, dev + preview): the lab page and the local Ably server on ONE origin.
 *
 * Design: the Vite server stays the front door (HMR, transforms, isolation headers); the plugin
 * starts the local Ably-compatible server in-process on a loopback side port and forwards to it
 *   - HTTP requests for the paths the server's own route table owns (`isServerPath` in
 *     src/server/http/routes.ts: the Ably REST roots, and under `/lab/` only the lab hooks, since
 *     in dev Vite serves the page's own src/lab/*.ts there), streamed through with a keep-alive
 *     agent;
 *   - WebSocket upgrades on `/` that carry `key=` or `access_token=` (the Ably realtime socket),
 *     as a raw TCP pipe (one extra hop, no re-framing). Vite's HMR socket (subprotocol `vite-hmr`,
 *     no key) is left to Vite.
 * Why not serve the page from the Ably server (`staticDir`)? That works for a built app (the CLI
 * does it) but loses Vite's dev server; a proxy gives both commands the same origin and lets
 * REST calls skip CORS preflights. The extra loopback hop costs every arm the same.
 *
 * The page learns the local server's key from `GET /lab/local-config`, answered HERE (never by
 * the Ably server) and only to loopback callers addressing a loopback Host with a same-origin
 * fetch, so a LAN peer or another site cannot read it. The page keeps it in memory only.
 */
import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Plugin, PreviewServer, ViteDevServer } from 'vite';
import { isServerPath } from '../server/http/routes.ts';

export const LOCAL_CONFIG_PATH = '/lab/local-config';

export interface LocalConfig {
  /** The local server's default app key (`appId.keyId:secret`). */
  key: string;
  /** Where the Ably server really listens (diagnostics only; the page uses its own origin). */
  upstream: string;
}

const LOOPBACK_ADDR = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;

/** Whether a request may read the key: loopback peer, loopback Host (no DNS rebinding), not cross-site. */
export function mayReadLocalConfig(
  remoteAddress: string | undefined,
  host: string | undefined,
  secFetchSite: string | undefined,
): boolean {
  if (!remoteAddress || !LOOPBACK_ADDR.test(remoteAddress)) return false;
  if (!host || !LOOPBACK_HOST.test(host)) return false;
  return secFetchSite === undefined || secFetchSite === 'same-origin' || secFetchSite === 'none';
}

/** `/channels/x?y` → true (the server's route table decides); `/` with `key=`/`access_token=` is the realtime socket (upgrade only). */
export function isAblyPath(url: string): boolean {
  return isServerPath(url);
}

export function isAblySocket(url: string): boolean {
  const [path, query = ''] = url.split('?');
  if (path !== '/') return false;
  const q = new URLSearchParams(query);
  return q.has('key') || q.has('access_token');
}

type Middlewares = ViteDevServer['middlewares'];
type HttpServer = NonNullable<ViteDevServer['httpServer']> | PreviewServer['httpServer'];

export function labServe(): Plugin {
  let handle: { port: number; key: string; url: string; close(): Promise<void> } | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });

  async function start(): Promise<NonNullable<typeof handle>> {
    // Imported lazily so `vite build` never loads the server.
    const { startServer } = await import('../server/index.ts');
    handle = await startServer({
      port: 0,
      host: '127.0.0.1',
      ...(process.env.LAB_KEY ? { key: process.env.LAB_KEY } : {}),
    });
    return handle;
  }

  function install(middlewares: Middlewares, httpServer: HttpServer | null, log: (m: string) => void): void {
    const ready = start().then((h) => {
      log(`  ➜  local Ably server: ${h.url} (proxied on this origin; key at ${LOCAL_CONFIG_PATH}, loopback only)`);
      return h;
    });
    ready.catch((e: unknown) => log(`  ✗  local Ably server failed to start: ${String(e)}`));
    middlewares.use((req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => {
      const url = req.url ?? '/';
      if (url.split('?')[0] === LOCAL_CONFIG_PATH) {
        if (
          !mayReadLocalConfig(
            req.socket.remoteAddress,
            req.headers.host,
            req.headers['sec-fetch-site'] as string | undefined,
          )
        ) {
          res
            .writeHead(403, { 'Content-Type': 'text/plain' })
            .end('local config is served to loopback same-origin callers only\n');
          return;
        }
        ready.then(
          (h) => {
            const body: LocalConfig = { key: h.key, upstream: h.url };
            res
              .writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
              .end(JSON.stringify(body));
          },
          () => res.writeHead(503).end('local server not running\n'),
        );
        return;
      }
      if (!isAblyPath(url)) return next();
      ready.then(
        (h) => {
          const up = httpRequest(
            { host: '127.0.0.1', port: h.port, method: req.method, path: url, headers: req.headers, agent },
            (ur) => {
              res.writeHead(ur.statusCode ?? 502, ur.headers);
              ur.pipe(res);
            },
          );
          up.on('error', (e) =>
            res.headersSent
              ? res.destroy()
              : res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`proxy: ${e.message}\n`),
          );
          req.pipe(up);
        },
        () => res.writeHead(503).end('local server not running\n'),
      );
    });
    httpServer?.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!isAblySocket(req.url ?? '/')) return; // Vite's HMR socket and anything else
      ready.then(
        (h) => {
          const up = connect(h.port, '127.0.0.1', () => {
            const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
            for (let i = 0; i < req.rawHeaders.length; i += 2)
              lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
            up.write(`${lines.join('\r\n')}\r\n\r\n`);
            if (head.length) up.write(head);
            up.pipe(socket);
            socket.pipe(up);
          });
          up.setNoDelay(true);
          (socket as Duplex & { setNoDelay?(v: boolean): void }).setNoDelay?.(true);
          const close = () => {
            up.destroy();
            socket.destroy();
          };
          up.on('error', close);
          socket.on('error', close);
          up.on('close', () => socket.destroy());
          socket.on('close', () => up.destroy());
        },
        () => socket.destroy(),
      );
    });
    httpServer?.once('close', () => void handle?.close());
  }

  return {
    name: 'lab-serve-local-ably',
    apply: () => !process.env.VITEST,
    configureServer(server) {
      install(server.middlewares, server.httpServer, (m) => server.config.logger.info(m));
    },
    configurePreviewServer(server) {
      install(server.middlewares, server.httpServer, (m) => server.config.logger.info(m));
    },
  };
}
