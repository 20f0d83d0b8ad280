import { allows } from '../auth/capability.ts';
import { type Identity, verifyToken } from '../auth/tokens.ts';
import { canonicalMessage, messageSize } from '../codec/payload.ts';
import type { OutFrame } from '../codec/frame.ts';
import { type AblyError, Errors, toAblyError } from '../errors.ts';
import type { ServerLimits } from '../limits.ts';
import type { Metrics } from '../metrics.ts';
import type { AppRegistry } from '../store/apps.ts';
import { BoundedMap } from '../store/bounded-map.ts';
import type { Channel, Subscriber } from '../store/channel.ts';
import { validChannelName } from '../store/channel-name.ts';
import { Action, ALL_MODES, Flag, MODE_BY_NAME, MODE_MASK } from '../../wire/actions.ts';
import type { Message, ProtocolMessage, WireFormat } from './types.ts';

/** What a session needs from its socket. Implemented by ws/peer.ts; by an array in unit tests. */
export interface Transport {
  send(frame: OutFrame | ProtocolMessage): void;
  /** Close the socket once queued frames are written. */
  end(): void;
  /** Outbound bytes not yet taken by the peer; undefined if it cannot drain now (see Subscriber). */
  backlog?(): number | undefined;
}

/** What a session needs from the server around it. */
export interface SessionHost {
  readonly limits: ServerLimits;
  readonly metrics: Metrics;
  readonly apps: AppRegistry;
  readonly serverId: string;
  now(): number;
  /** Client sent CLOSE: forget the session for good. */
  discard(session: Session): void;
  /** New connectionKey for this session (old one stops working). */
  rekey(session: Session): string;
}

interface Attachment {
  channel: Channel;
  modes: number;
}

type Res = { serials: Array<string | null> };

/**
 * The protocol state of one realtime connection, independent of any socket:
 * inputs are ProtocolMessages (`handle`), outputs go to the bound Transport. It outlives its socket
 * for `connectionStateTtl` so the client can resume (RTN15).
 */
export class Session implements Subscriber {
  key = '';
  transport: Transport | undefined;
  /** When the socket went away (for TTL expiry); undefined while bound. */
  disconnectedAt: number | undefined;
  closed = false;
  private nextMsgSerial = 0;
  private readonly acked: BoundedMap<number, Res>;
  readonly attachments = new Map<string, Attachment>();
  /**
   * Channels this session was attached to when its socket went away: still pinned, so that a
   * resume (RTN15c6: the client re-attaches with its channelSerial) finds the same channel and
   * its history. Released on re-attach, or when the session is gone for good (`dispose`).
   */
  private readonly heldWhileAway = new Map<string, Channel>();
  private pendingAck: { first: number; res: Res[] } | undefined;
  /** Lab fault (discard-next): the next `n` fan-out MESSAGE frames (of `channel`, if set) are dropped. */
  discard: { n: number; channel?: string } | undefined;
  private ackScheduled = false;
  private readonly flushAcks = () => {
    this.ackScheduled = false;
    this.sendPendingAck();
  };

  constructor(
    readonly id: string,
    public identity: Identity,
    public format: WireFormat,
    readonly echo: boolean,
    private readonly host: SessionHost,
  ) {
    this.acked = new BoundedMap(host.limits.ackMemory);
  }

  get connectionId(): string {
    return this.id;
  }

  get clientId(): string | undefined {
    return this.identity.clientId;
  }

  /** Binds a (new) socket and sends CONNECTED (RTN15c6 when resuming: same id, new key). */
  bind(transport: Transport, error?: AblyError): void {
    this.pendingAck = undefined; // belonged to the old socket; the client re-sends unACKed msgSerials
    this.transport = transport;
    this.disconnectedAt = undefined;
    this.sendConnected(error);
  }

  private sendConnected(error?: AblyError): void {
    const { limits } = this.host;
    this.key = this.host.rekey(this);
    const details: Record<string, unknown> = {
      connectionKey: this.key,
      maxIdleInterval: limits.maxIdleInterval,
      connectionStateTtl: limits.connectionStateTtl,
      maxMessageSize: limits.maxMessageSize,
      maxFrameSize: limits.maxFrameSize,
      maxInboundRate: 0,
      serverId: this.host.serverId,
      siteCode: 'local',
    };
    if (this.clientId !== undefined) details.clientId = this.clientId;
    const pm: ProtocolMessage = { action: Action.CONNECTED, connectionId: this.id, connectionDetails: details };
    if (error) pm.error = error.toInfo();
    this.send(pm);
  }

  /** The socket is gone (drop, DISCONNECT, slow consumer): keep state for resume, stop delivery. */
  unbind(now: number): void {
    if (!this.transport) return;
    this.sendPendingAck();
    this.transport = undefined;
    this.disconnectedAt = now;
    for (const [name, a] of this.attachments) {
      a.channel.subscribers.delete(this);
      this.heldWhileAway.get(name)?.unpin();
      this.heldWhileAway.set(name, a.channel); // keeps the attachment's pin
    }
    this.attachments.clear();
  }

  /** The session is gone for good (CLOSE, TTL expiry, app deleted): it holds no channel any more. */
  dispose(now: number): void {
    this.closed = true;
    this.unbind(now);
    for (const ch of this.heldWhileAway.values()) ch.unpin();
    this.heldWhileAway.clear();
  }

  /** Control frames: any batched ACK goes out first, so e.g. CLOSED never overtakes an ACK. */
  send(frame: OutFrame | ProtocolMessage): void {
    if (this.pendingAck) this.sendPendingAck();
    this.transport?.send(frame);
  }

  /** Subscriber: a fan-out frame for an attached channel (live or resume replay). */
  deliver(frame: OutFrame): void {
    const n = frame.pm.messages?.length ?? 0;
    const d = this.discard;
    if (d && frame.pm.action === Action.MESSAGE && (d.channel === undefined || d.channel === frame.pm.channel)) {
      // Deliberately lost, like a frame lost on the wire: nothing else about the connection changes.
      if (--d.n <= 0) this.discard = undefined;
      this.host.metrics.framesDiscarded++;
      this.host.metrics.messagesDiscarded += n;
      return;
    }
    this.host.metrics.messagesOut += n;
    this.transport?.send(frame);
  }

  /** Lab: discard the next `n` MESSAGE frames (only those of `channel` if given); 0 clears. */
  discardNext(n: number, channel?: string): void {
    this.discard = n > 0 ? (channel === undefined ? { n } : { n, channel }) : undefined;
  }

  backlog(): number | undefined {
    return this.transport?.backlog?.();
  }

  /**
   * Sends a connection-level ERROR (the client goes `failed`, RTN15i) and closes the socket. The
   * session is gone for good: a failed connection is never resumed, and it holds no channel.
   */
  fail(err: AblyError): void {
    if (this.closed) return;
    this.host.metrics.errorsSent++;
    this.send({ action: Action.ERROR, error: err.toInfo() });
    this.transport?.end();
    this.host.discard(this);
  }

  /** One inbound ProtocolMessage. Errors that concern one message become NACK/channel ERROR. */
  handle(pm: ProtocolMessage): void {
    if (this.closed) return; // failed or closed: frames already in flight are ignored
    try {
      switch (pm.action) {
        case Action.HEARTBEAT:
          return this.send(
            pm.id === undefined ? { action: Action.HEARTBEAT } : { action: Action.HEARTBEAT, id: pm.id },
          );
        case Action.MESSAGE:
          return this.onMessage(pm);
        case Action.ATTACH:
          return this.channelOp(pm, () => this.onAttach(pm));
        case Action.DETACH:
          return this.channelOp(pm, () => this.onDetach(pm));
        case Action.PRESENCE:
        case Action.ANNOTATION:
        case Action.OBJECT:
          return this.nack(pm, Errors.badRequest('This action is not supported by the lab server'));
        case Action.CLOSE:
          this.send({ action: Action.CLOSED, connectionId: this.id });
          this.transport?.end();
          return this.host.discard(this);
        case Action.DISCONNECT:
          this.transport?.end();
          return;
        case Action.AUTH:
          return this.onAuth(pm);
        case Action.SYNC:
        case Action.ACTIVATE:
          return; // no presence here, nothing to sync; ACTIVATE is deprecated
        default:
          throw Errors.badRequest(`Unexpected ProtocolMessage action ${pm.action}`);
      }
    } catch (e) {
      this.fail(toAblyError(e));
    }
  }

  /**
   * An ATTACH/DETACH that fails (bad name, capability, channel limit) fails that channel only: a
   * channel-scoped ERROR (RTL14), the connection and its other channels go on. Only a frame with
   * no channel name at all is a connection-level protocol error.
   */
  private channelOp(pm: ProtocolMessage, op: () => void): void {
    if (typeof pm.channel !== 'string') throw Errors.invalidChannelName('ProtocolMessage has no channel');
    try {
      op();
    } catch (e) {
      this.channelError(pm.channel, toAblyError(e));
    }
  }

  private channelName(pm: ProtocolMessage): string {
    if (pm.channel === undefined) throw Errors.invalidChannelName('ProtocolMessage has no channel');
    return validChannelName(pm.channel, this.host.limits);
  }

  private channelError(name: string, err: AblyError): void {
    this.host.metrics.errorsSent++;
    this.send({ action: Action.ERROR, channel: name, error: err.toInfo() });
  }

  // RTL4: ATTACH -> ATTACHED (+ replay after channelSerial, then live messages)
  private onAttach(pm: ProtocolMessage): void {
    const name = this.channelName(pm);
    // RTL4k: params are string-valued (ChannelParams); they are echoed in ATTACHED, so checked first.
    if (
      pm.params !== undefined &&
      (typeof pm.params !== 'object' ||
        pm.params === null ||
        Array.isArray(pm.params) ||
        Object.values(pm.params).some((v) => typeof v !== 'string'))
    ) {
      throw Errors.invalidParam('ATTACH params must be an object of string values');
    }
    const cap = this.identity.capability;
    const canSub = allows(cap, name, 'subscribe');
    const canPub = allows(cap, name, 'publish');
    const canPresence = allows(cap, name, 'presence');
    if (!canSub && !canPub && !canPresence)
      return this.channelError(
        name,
        Errors.capabilityDenied(`Channel denied access based on given capability: ${name}`),
      );
    if (!this.attachments.has(name) && this.attachments.size >= this.host.limits.maxChannelsPerConnection) {
      return this.channelError(
        name,
        Errors.tooManyChannels(
          `Too many channels attached on this connection (maxChannelsPerConnection ${this.host.limits.maxChannelsPerConnection})`,
        ),
      );
    }
    let modes = requestedModes(pm);
    if (!canSub) modes &= ~(Flag.SUBSCRIBE | Flag.PRESENCE_SUBSCRIBE);
    if (!canPub) modes &= ~Flag.PUBLISH;
    if (!canPresence) modes &= ~Flag.PRESENCE;
    const channel = this.identity.app.channel(name);
    let flags = modes;
    let replay: OutFrame[] | undefined;
    let error: AblyError | undefined;
    const rewind = pm.params?.rewind === undefined ? undefined : parseRewind(pm.params.rewind, this.host.now());
    if (typeof pm.channelSerial === 'string' && pm.channelSerial) {
      replay = canSub ? channel.framesAfter(pm.channelSerial, this) : undefined;
      if (replay) flags |= Flag.RESUMED;
      else error = Errors.continuityLost(`Unable to resume channel ${name} from ${pm.channelSerial}: continuity lost`);
    } else if (rewind && canSub) {
      replay = channel.rewind(rewind, this);
      if (replay.length) flags |= Flag.HAS_BACKLOG;
    }
    const attached: ProtocolMessage = {
      action: Action.ATTACHED,
      channel: name,
      flags,
      channelSerial: channel.currentSerial,
    };
    if (error) attached.error = error.toInfo();
    if (pm.params) attached.params = pm.params;
    const previous = this.attachments.get(name);
    if (previous?.channel !== channel) {
      if (previous) this.release(previous);
      channel.pin();
    }
    this.heldWhileAway.get(name)?.unpin();
    this.heldWhileAway.delete(name);
    this.attachments.set(name, { channel, modes });
    this.send(attached);
    if (modes & Flag.SUBSCRIBE) {
      if (replay) {
        for (const f of replay) this.deliver(f);
        for (const f of replay) f.release();
      }
      channel.subscribers.add(this);
    } else {
      channel.subscribers.delete(this);
    }
  }

  private onDetach(pm: ProtocolMessage): void {
    const name = this.channelName(pm);
    const a = this.attachments.get(name);
    if (a) {
      this.release(a);
      this.attachments.delete(name);
    }
    this.send({ action: Action.DETACHED, channel: name });
  }

  /** Stops using an attachment's channel: no more delivery, and the app may forget it once idle. */
  private release(a: Attachment): void {
    a.channel.subscribers.delete(this);
    a.channel.unpin();
  }

  private onAuth(pm: ProtocolMessage): void {
    const token = pm.auth?.accessToken;
    if (typeof token !== 'string') throw Errors.noAuth('AUTH without auth.accessToken');
    const id = verifyToken(this.host.apps, token, this.host.now());
    if (id.app !== this.identity.app) throw Errors.incompatibleCredentials('AUTH token is for another app');
    if (this.clientId !== undefined && this.clientId !== '*' && id.clientId !== this.clientId)
      throw Errors.incompatibleCredentials('AUTH token has a different clientId');
    this.identity = id;
    this.sendConnected(); // RTN22: a new CONNECTED updates the details
    this.applyCapability();
  }

  /**
   * After a re-auth: a channel the new capability no longer permits at all fails with 40160
   * (channel-scoped ERROR, RTL14); one that may no longer subscribe stops receiving.
   */
  private applyCapability(): void {
    const cap = this.identity.capability;
    for (const [name, a] of [...this.attachments]) {
      const canSub = allows(cap, name, 'subscribe');
      if (!canSub && !allows(cap, name, 'publish') && !allows(cap, name, 'presence')) {
        this.release(a);
        this.attachments.delete(name);
        this.channelError(
          name,
          Errors.capabilityDenied(`Channel denied access based on the new token's capability: ${name}`),
        );
      } else if (!canSub) {
        a.channel.subscribers.delete(this);
        a.modes &= ~(Flag.SUBSCRIBE | Flag.PRESENCE_SUBSCRIBE);
      }
    }
  }

  // RTL6 / RTN7: publish, ACK in order, de-duplicate (connectionId, msgSerial) re-sends after resume
  private onMessage(pm: ProtocolMessage): void {
    const serial = pm.msgSerial === undefined ? this.nextMsgSerial : pm.msgSerial;
    // Not a serial we could ever ACK or NACK: a protocol error, not a message to publish.
    if (!Number.isSafeInteger(serial) || serial < 0)
      throw Errors.badRequest(`Invalid msgSerial ${String(pm.msgSerial)}: must be a non-negative integer`);
    if (serial < this.nextMsgSerial) {
      return this.ack(serial, this.acked.get(serial) ?? { serials: (pm.messages ?? []).map(() => null) });
    }
    this.nextMsgSerial = serial + 1;
    let res: Res;
    try {
      res = { serials: this.publish(pm) };
    } catch (e) {
      return this.nack(pm, toAblyError(e), serial);
    }
    this.acked.set(serial, res);
    this.ack(serial, res);
  }

  private publish(pm: ProtocolMessage): string[] {
    const name = this.channelName(pm);
    const raw = pm.messages;
    if (!Array.isArray(raw) || raw.length === 0) throw Errors.invalidMessageData('MESSAGE has no messages');
    if (!allows(this.identity.capability, name, 'publish'))
      throw Errors.capabilityDenied(`Publish denied on channel ${name} by capability`);
    const attached = this.attachments.get(name);
    if (attached && !(attached.modes & Flag.PUBLISH))
      throw Errors.capabilityDenied(`Publish denied on channel ${name}: attached without the publish mode`);
    const now = this.host.now();
    const messages: Message[] = new Array(raw.length);
    let size = 0;
    const conClient = this.clientId !== '*' ? this.clientId : undefined;
    for (let i = 0; i < raw.length; i++) {
      const m = canonicalMessage(raw[i], this.format, this.host.limits.maxExtrasDepth);
      if (m.clientId !== undefined && conClient !== undefined && m.clientId !== conClient) {
        throw Errors.invalidClientId(
          `Message clientId ${m.clientId} does not match the connection clientId ${conClient}`,
        );
      }
      if (m.clientId === undefined && conClient !== undefined) m.clientId = conClient;
      m.id ??= `${this.id}:${pm.msgSerial ?? 0}:${i}`;
      m.connectionId = this.id;
      m.timestamp = now;
      size += messageSize(m);
      messages[i] = m;
    }
    const limit = this.host.limits.maxMessageSize;
    if (size > limit) throw Errors.messageTooLarge(`Message size ${size} exceeds maxMessageSize ${limit}`);
    const channel = this.identity.app.channel(name);
    const idempotent = raw.some((m) => typeof (m as Message).id === 'string');
    const dup = idempotent ? channel.duplicateOf(messages[0]!.id) : undefined;
    if (dup) return dup; // RSL1k: idempotent publish, already accepted
    this.host.metrics.messagesIn += messages.length;
    return channel.publish(messages, {
      connectionId: this.id,
      frameId: `${this.id}:${pm.msgSerial ?? 0}`,
      timestamp: now,
      idempotent,
    });
  }

  /** Queues an ACK; contiguous ACKs in the same tick are sent as one (count n, res[n]). */
  private ack(serial: number, res: Res): void {
    const p = this.pendingAck;
    if (p && p.first + p.res.length === serial) {
      p.res.push(res);
    } else {
      if (p) this.sendPendingAck();
      this.pendingAck = { first: serial, res: [res] };
    }
    if (!this.ackScheduled) {
      this.ackScheduled = true;
      queueMicrotask(this.flushAcks);
    }
  }

  private sendPendingAck(): void {
    const p = this.pendingAck;
    if (!p) return;
    this.pendingAck = undefined;
    this.transport?.send({ action: Action.ACK, msgSerial: p.first, count: p.res.length, res: p.res });
  }

  private nack(pm: ProtocolMessage, err: AblyError, serial?: number): void {
    const s = serial ?? (typeof pm.msgSerial === 'number' ? pm.msgSerial : this.nextMsgSerial);
    if (serial === undefined && s >= this.nextMsgSerial) this.nextMsgSerial = s + 1;
    this.sendPendingAck();
    this.host.metrics.errorsSent++;
    this.send({ action: Action.NACK, msgSerial: s, count: 1, error: err.toInfo() });
  }
}

/**
 * The modes an ATTACH asks for (RTL4l): mode flags, else `params.modes` (comma-separated names,
 * 40003 for an unknown one), else all four classic modes.
 */
function requestedModes(pm: ProtocolMessage): number {
  if (typeof pm.flags === 'number' && pm.flags & MODE_MASK) return pm.flags & MODE_MASK;
  const names = pm.params?.modes;
  if (typeof names !== 'string' || names === '') return ALL_MODES;
  let modes = 0;
  for (const n of names.split(',')) {
    const flag = MODE_BY_NAME[n.trim().toLowerCase()];
    if (flag === undefined) throw Errors.invalidParam(`Unknown channel mode ${JSON.stringify(n)} in params.modes`);
    modes |= flag;
  }
  return modes;
}

/** Most messages a count rewind replays (Ably's documented limit for `rewind`). */
const MAX_REWIND_COUNT = 100;

/** Channel param `rewind`: a message count (`"10"`) or a time interval (`"30s"`, `"2m"`). 40003 otherwise. */
function parseRewind(v: string, now: number): { count: number } | { since: number } {
  if (/^\d+$/.test(v)) return { count: Math.min(MAX_REWIND_COUNT, Number(v)) };
  const m = /^(\d+)(s|m)$/.exec(v);
  if (m) return { since: now - Number(m[1]) * (m[2] === 's' ? 1000 : 60_000) };
  throw Errors.invalidParam(
    `Invalid rewind ${JSON.stringify(v)}: a message count or an interval such as "30s" or "2m"`,
  );
}
