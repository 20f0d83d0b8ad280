import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeJson, encodeMsgpack } from '../codec/frame.ts';
import type { AblyError } from '../errors.ts';
import type { ServerLimits } from '../limits.ts';
import type { Metrics } from '../metrics.ts';
import { Action } from '../../wire/actions.ts';
import type { Hub } from '../protocol/hub.ts';
import { Peer } from './peer.ts';

/**
 * The realtime endpoint: WebSocket upgrades on the HTTP server's port (`ws` with noServer).
 * ably-js connects to `/` with its params in the query (RTN2); any other path
 * (e.g. the `wsConnectivityCheckUrl`) is accepted and closed cleanly.
 */
export class Realtime {
  readonly wss: WebSocketServer;
  readonly peers = new Set<Peer>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly housekeeping: NodeJS.Timeout;

  constructor(
    private readonly hub: Hub,
    private readonly metrics: Metrics,
    private readonly limits: ServerLimits,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: limits.maxFrameHardCap,
      perMessageDeflate: false,
      clientTracking: false,
    });
    const every = Math.max(50, Math.floor(limits.maxIdleInterval / 2));
    this.sweeper = setInterval(() => this.heartbeats(), every);
    this.sweeper.unref();
    // session TTL expiry and token expiry (DISCONNECTED 40142) are checked once a second
    this.housekeeping = setInterval(() => this.hub.sweep(), 1000);
    this.housekeeping.unref();
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://local');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      if (url.pathname !== '/') {
        ws.close(1000, 'ok'); // connectivity check or stray path
        return;
      }
      this.onConnection(ws, url.searchParams);
    });
  }

  private onConnection(ws: WebSocket, q: URLSearchParams): void {
    const result = this.hub.connect(q);
    if (!result.ok) {
      this.rejectAfterOpen(ws, q.get('format') === 'msgpack', result.error);
      return;
    }
    const peer = new Peer(ws, result.session, this.hub, this.metrics, this.limits, (p) => this.peers.delete(p));
    this.peers.add(peer);
    this.hub.bind(result.session, peer, result.error);
  }

  /** A failed connect is reported the Ably way: an ERROR frame, then close (RTN14g). */
  private rejectAfterOpen(ws: WebSocket, binary: boolean, err: AblyError): void {
    this.metrics.errorsSent++;
    const pm = { action: Action.ERROR, error: err.toInfo() };
    ws.send(binary ? encodeMsgpack(pm) : encodeJson(pm), { binary });
    ws.close(1000);
  }

  private heartbeats(): void {
    const now = Date.now();
    const idle = Math.floor(this.limits.maxIdleInterval / 2);
    for (const p of this.peers) p.heartbeat(now, idle);
  }

  /** Lab hook: the peers to act on (one connection, or all). */
  select(connectionId: string | null): Peer[] {
    if (!connectionId || connectionId === 'all') return [...this.peers];
    return [...this.peers].filter((p) => p.session.id === connectionId);
  }

  close(): void {
    clearInterval(this.sweeper);
    clearInterval(this.housekeeping);
    for (const p of this.peers) p.ws.terminate();
    this.wss.close();
  }
}
