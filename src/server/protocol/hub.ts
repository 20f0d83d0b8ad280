import { randomBytes } from 'node:crypto';
import { type Identity, keyIdentity, verifyToken } from '../auth/tokens.ts';
import { AblyError, Errors } from '../errors.ts';
import type { ServerLimits } from '../limits.ts';
import type { Metrics } from '../metrics.ts';
import { type AppRegistry, randomId } from '../store/apps.ts';
import { Action } from '../../wire/actions.ts';
import { Session, type SessionHost, type Transport } from './session.ts';
import type { WireFormat } from './types.ts';

/** Result of a realtime connect request (RTN2 query params). */
export type ConnectResult =
  | { ok: true; session: Session; resumed: boolean; error?: AblyError }
  | { ok: false; error: AblyError };

const KEY_RE = /^[A-Za-z0-9_-]+![A-Za-z0-9_-]+$/;

/**
 * All realtime sessions of a server: authentication on connect, resume/recover (RTN15/RTN16),
 * expiry after `connectionStateTtl`, heartbeat and token-expiry sweeps. No sockets here.
 */
export class Hub implements SessionHost {
  readonly serverId = `lab-${randomBytes(3).toString('hex')}`;
  readonly sessions = new Map<string, Session>();
  private readonly byKey = new Map<string, Session>();

  constructor(
    readonly apps: AppRegistry,
    readonly limits: ServerLimits,
    readonly metrics: Metrics,
    readonly now: () => number = Date.now,
  ) {
    apps.connectionOf = (key) => {
      const s = this.byKey.get(key);
      return s && !s.closed ? { connectionId: s.id, app: s.identity.app } : undefined;
    };
  }

  /** Authenticates a WS connect query and finds (resume) or creates the session. Does not bind. */
  connect(q: URLSearchParams): ConnectResult {
    const now = this.now();
    let identity: Identity;
    try {
      identity = this.authenticate(q, now);
    } catch (e) {
      return { ok: false, error: e instanceof AblyError ? e : Errors.unauthorized(String(e)) };
    }
    const format: WireFormat = q.get('format') === 'msgpack' ? 'msgpack' : 'json';
    const echo = q.get('echo') !== 'false';
    const resumeKey = q.get('resume') ?? q.get('recover');
    let error: AblyError | undefined;
    if (resumeKey !== null) {
      const s = this.byKey.get(resumeKey);
      if (s && !s.closed && s.identity.app === identity.app) {
        s.identity = identity;
        s.format = format; // a recovering client may use the other format
        this.metrics.connectionsResumed++;
        return { ok: true, session: s, resumed: true };
      }
      // A resume (RTN15c) of a key of ours that has expired: 80008. A recovery key that cannot be
      // recovered (RTN16), or a key not of our format: 80018, as ably-js and Ably's own tests expect.
      error =
        KEY_RE.test(resumeKey) && q.get('resume') !== null
          ? Errors.recoveryExpired(`Unable to resume connection: key ${resumeKey} unknown or expired`)
          : Errors.invalidConnectionKey(`Invalid connection key: ${resumeKey}`);
    }
    if (this.liveCount() >= this.limits.maxConnections) {
      return {
        ok: false,
        error: Errors.tooManyConnections(`Too many connections (maxConnections ${this.limits.maxConnections})`),
      };
    }
    const session = new Session(randomId(8), identity, format, echo, this);
    this.sessions.set(session.id, session);
    this.metrics.connectionsOpened++;
    return error ? { ok: true, session, resumed: false, error } : { ok: true, session, resumed: false };
  }

  private authenticate(q: URLSearchParams, now: number): Identity {
    const key = q.get('key');
    const token = q.get('access_token') ?? q.get('accessToken');
    const clientId = q.get('clientId') ?? undefined;
    if (key !== null) return keyIdentity(this.apps, this.apps.checkKey(key, 'unauthorized'), clientId);
    if (token === null) throw Errors.noAuth('No key or token: pass key= or access_token=');
    const id = verifyToken(this.apps, token, now);
    if (clientId !== undefined && clientId !== id.clientId) {
      if (id.clientId !== '*')
        throw Errors.incompatibleCredentials(
          `clientId ${clientId} does not match the token clientId ${id.clientId ?? '(none)'}`,
        );
      id.clientId = clientId;
    }
    return id;
  }

  /** Binds a socket to a session: a resumed session's previous socket is closed first. */
  bind(session: Session, transport: Transport, error?: AblyError): void {
    const old = session.transport;
    if (old && old !== transport) {
      session.unbind(this.now());
      old.end();
    }
    session.bind(transport, error);
  }

  /** The socket of `session` went away (not CLOSE): keep state for resume. */
  dropped(session: Session, transport: Transport): void {
    if (session.transport === transport) session.unbind(this.now());
  }

  rekey(session: Session): string {
    if (session.key) this.byKey.delete(session.key);
    const key = `${randomId(6)}!${session.id}`;
    this.byKey.set(key, session);
    return key;
  }

  discard(session: Session): void {
    if (this.sessions.get(session.id) !== session) return; // already discarded
    session.dispose(this.now());
    this.sessions.delete(session.id);
    this.byKey.delete(session.key);
  }

  liveCount(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.transport) n++;
    return n;
  }

  /**
   * Periodic housekeeping: forget sessions disconnected longer than connectionStateTtl; send
   * HEARTBEAT to idle peers is done by the transport; disconnect connections whose token expired
   * (DISCONNECTED 40142, so ably-js renews and resumes, RTN22a); forget channels idle for
   * `idleChannelTtl`.
   */
  sweep(): void {
    this.apps.forgetIdleChannels(); // idle channels age out even when no lookup comes
    const now = this.now();
    for (const s of this.sessions.values()) {
      if (s.disconnectedAt !== undefined && now - s.disconnectedAt > this.limits.connectionStateTtl) {
        this.discard(s);
      } else if (s.transport && s.identity.expires !== undefined && s.identity.expires <= now) {
        s.send({ action: Action.DISCONNECTED, error: Errors.tokenExpired('Token expired').toInfo() });
        const t = s.transport;
        s.unbind(now);
        t.end();
      }
    }
  }

  /** For /lab: sessions by id. */
  find(connectionId: string): Session | undefined {
    return this.sessions.get(connectionId);
  }

  channelCount(): number {
    let n = 0;
    for (const app of this.apps.apps.values()) n += app.channels.size;
    return n;
  }

  /** Removes all sessions of a deleted app. */
  dropApp(appId: string): void {
    for (const s of [...this.sessions.values()]) {
      if (s.identity.app.id !== appId) continue;
      s.fail(Errors.forbidden('App deleted')); // fail() discards it
    }
  }
}
