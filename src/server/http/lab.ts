import { Errors } from '../errors.ts';
import type { Hub } from '../protocol/hub.ts';
import type { App } from '../store/apps.ts';
import type { Realtime } from '../ws/realtime.ts';
import { authenticate } from './auth.ts';
import { blast, channelParam, parseBlastParams } from './blast.ts';
import { sendData } from './respond.ts';
import type { RestContext } from './rest.ts';
import { LAB_HOOKS, labHook } from './routes.ts';

/**
 * Lab hooks under /lab/ (not Ably paths; their list and methods are LAB_HOOKS in routes.ts).
 * Protected by a key of the default app (Basic auth or `?key=`). Connections are chosen with
 * `?connectionId=<id>` or `all` (default all). An unknown hook is a 404, a known one with the
 * wrong method a 405.
 *
 *   GET  /lab/metrics[?gc=true]       counters, CPU, event-loop delay, memory (after a full GC
 *                                     with gc=true: node --expose-gc only, else 40003)
 *   POST /lab/metrics/reset           zero the counters
 *   GET  /lab/connections             [{connectionId, clientId, channels, paused, delayMs}]
 *   POST /lab/connections/drop        ?disconnected=true sends DISCONNECTED first, else a hard drop
 *   POST /lab/connections/delay?ms=N  delay every outbound frame by N ms (0 clears)
 *   POST /lab/connections/pause       stop reading and writing (frames held, bounded)
 *   POST /lab/connections/resume      undo pause, flush held frames
 *   POST /lab/connections/discard-next?n=N[&channel=]  drop the next N MESSAGE frames (0 clears)
 *   POST /lab/channels/blast?channel=&count=N[&size=S&perFrame=B&encoding=&stallMs=]
 *                                     the server publishes N messages itself (blast.ts)
 */
export function lab(c: RestContext, hub: Hub, realtime: Realtime, defaultApp: App, path: string): void | Promise<void> {
  const id = authenticate(c.apps, c.req, c.url.searchParams, c.now);
  if (id.app !== defaultApp || id.viaToken) throw Errors.unauthorized('Lab hooks need a key of the default app');
  const q = c.url.searchParams;
  const method = c.req.method;
  const hook = labHook(path);
  if (!hook) throw Errors.notFound(`No lab hook /lab/${path}`);
  if (method !== LAB_HOOKS[hook]) throw Errors.methodNotAllowed(`${method} /lab/${path} not supported`);
  const peers = () => realtime.select(q.get('connectionId'));
  const done = (affected: number) => sendData(c.req, c.res, 200, { affected });
  switch (hook) {
    case 'metrics': {
      const gc = q.get('gc');
      if (gc !== null) {
        // Figures right after a full collection, so a benchmark sees what is retained, not garbage
        // an idle server has no reason to collect.
        if (gc !== 'true') throw Errors.invalidParam(`gc must be true, got ${gc}`);
        const collect = (globalThis as { gc?: () => void }).gc;
        if (typeof collect !== 'function')
          throw Errors.invalidParam(
            'gc=true needs the server run by node --expose-gc (LAB_SERVER_NODE_ARGS=--expose-gc)',
          );
        collect();
      }
      let disconnected = 0;
      for (const s of hub.sessions.values()) if (!s.transport) disconnected++;
      sendData(
        c.req,
        c.res,
        200,
        hub.metrics.snapshot({
          connections: realtime.peers.size,
          connectionsDisconnected: disconnected,
          channels: hub.channelCount(),
          apps: c.apps.apps.size,
        }),
      );
      return;
    }
    case 'metrics/reset':
      hub.metrics.reset();
      return done(0);
    case 'connections':
      sendData(
        c.req,
        c.res,
        200,
        [...realtime.peers].map((p) => ({
          connectionId: p.session.id,
          clientId: p.session.clientId ?? null,
          appId: p.session.identity.app.id,
          format: p.session.format,
          channels: [...p.session.attachments.keys()],
          paused: p.paused,
          delayMs: p.delayMs,
          discardNext: p.session.discard?.n ?? 0,
        })),
      );
      return;
    case 'connections/drop': {
      const ps = peers();
      for (const p of ps) p.drop(q.get('disconnected') === 'true');
      return done(ps.length);
    }
    case 'connections/delay': {
      const ms = Number(q.get('ms') ?? 0);
      if (!Number.isFinite(ms) || ms < 0 || ms > 600000) throw Errors.invalidParam('ms must be 0..600000');
      const ps = peers();
      for (const p of ps) p.setDelay(ms);
      return done(ps.length);
    }
    case 'connections/pause':
    case 'connections/resume': {
      const ps = peers();
      for (const p of ps) p.setPaused(hook === 'connections/pause');
      return done(ps.length);
    }
    case 'connections/discard-next': {
      const raw = q.get('n');
      const n = Number(raw);
      if (raw === null || !/^\d+$/.test(raw) || n > 1_000_000)
        throw Errors.invalidParam('n must be an integer 0..1000000 (0 clears)');
      const channel = q.has('channel') ? channelParam(q, c.limits) : undefined;
      const ps = peers();
      for (const p of ps) p.session.discardNext(n, channel);
      return done(ps.length);
    }
    case 'channels/blast':
      return runBlast(c, hub, defaultApp);
    default: {
      const unhandled: never = hook; // every hook of LAB_HOOKS has a case above
      throw Errors.notFound(`No lab hook /lab/${String(unhandled)}`);
    }
  }
}

/** Validates first (errors become 400s via the router), then blasts; answers once every frame is handed to the sockets. */
async function runBlast(c: RestContext, hub: Hub, app: App): Promise<void> {
  const p = parseBlastParams(c.url.searchParams, c.limits);
  let gone = false;
  c.res.once('close', () => (gone = !c.res.writableFinished)); // caller gave up: stop producing
  const r = await blast(app, hub.metrics, c.limits, p, () => gone);
  if (!gone) sendData(c.req, c.res, 200, r);
}
