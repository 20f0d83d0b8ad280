import type { IncomingMessage, ServerResponse } from 'node:http';
import { Errors, toAblyError } from '../errors.ts';
import type { ServerLimits } from '../limits.ts';
import type { Hub } from '../protocol/hub.ts';
import type { App } from '../store/apps.ts';
import type { Realtime } from '../ws/realtime.ts';
import { createApp, deleteApp } from './apps.ts';
import { lab } from './lab.ts';
import { baseHeaders, preflight, sendData, sendError } from './respond.ts';
import * as rest from './rest.ts';
import { isApiRoot } from './routes.ts';
import { serveStatic } from './static.ts';

export interface RouterDeps {
  hub: Hub;
  realtime: Realtime;
  limits: ServerLimits;
  defaultApp: App;
  staticDir?: string;
}

/** Splits the raw path first, then decodes each segment, so `%2F` in a channel name survives. */
function segments(pathname: string): string[] {
  return pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw Errors.badRequest(`Bad percent-encoding in path segment ${s}`);
      }
    });
}

export function createRouter(d: RouterDeps) {
  const { hub } = d;
  return async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    baseHeaders(req, res);
    try {
      if (req.method === 'OPTIONS') {
        hub.metrics.corsPreflights++;
        return preflight(req, res);
      }
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      const seg = segments(url.pathname);
      const m = req.method ?? 'GET';
      const c: rest.RestContext = {
        req,
        res,
        url,
        apps: hub.apps,
        limits: d.limits,
        metrics: hub.metrics,
        now: hub.now(),
      };
      if (isApiRoot(seg[0])) hub.metrics.restRequests++;
      const route = `${m} ${seg[0] ?? ''}`;
      switch (route) {
        case 'GET time':
          if (seg.length === 1) return rest.time(c);
          break;
        case 'GET stats': // stats are not collected; an empty page keeps clients happy
          return sendData(req, res, 200, []);
        case 'GET channels':
          if (seg.length === 3 && seg[2] === 'messages') return rest.history(c, seg[1]!);
          if (seg.length === 2) return rest.channelStatus(c, seg[1]!);
          break;
        case 'POST channels':
          if (seg.length === 3 && seg[2] === 'messages') return await rest.publish(c, seg[1]!);
          break;
        case 'POST messages':
          if (seg.length === 1) return await rest.batchPublish(c);
          break;
        case 'POST keys':
          if (seg.length === 3 && seg[2] === 'requestToken') return await rest.requestToken(c, seg[1]!);
          break;
        case 'POST apps':
          if (seg.length === 1) return await createApp(c);
          break;
        case 'DELETE apps':
          if (seg.length === 2) return deleteApp(c, hub, seg[1]!);
          break;
        case 'GET is-the-internet-up.txt':
          res.writeHead(200, { 'Content-Type': 'text/plain' }).end('yes');
          return;
        default:
          if (seg[0] === 'lab') return await lab(c, hub, d.realtime, d.defaultApp, seg.slice(1).join('/'));
      }
      if (isApiRoot(seg[0])) throw Errors.notFound(`No route ${m} ${url.pathname}`);
      if ((m === 'GET' || m === 'HEAD') && d.staticDir) return await serveStatic(d.staticDir, req, res, url.pathname);
      if (m === 'GET' && url.pathname === '/') {
        res
          .writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' })
          .end('Ably lab server (protocol v6). See README: npm run server.\n');
        return;
      }
      throw Errors.notFound(`No route ${m} ${url.pathname}`);
    } catch (e) {
      sendError(res, toAblyError(e));
    }
  };
}
