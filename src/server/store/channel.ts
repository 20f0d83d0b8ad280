import { randomBytes } from 'node:crypto';
import { OutFrame } from '../codec/frame.ts';
import type { ServerLimits } from '../limits.ts';
import { Action } from '../../wire/actions.ts';
import type { Message } from '../protocol/types.ts';
import { BoundedMap } from './bounded-map.ts';
import { Ring } from './ring.ts';

/** Someone attached to a channel who wants its messages (a realtime connection). */
export interface Subscriber {
  readonly connectionId: string;
  /** false when the connection asked `echo=false`: never deliver its own messages back to it. */
  readonly echo: boolean;
  deliver(frame: OutFrame): void;
  /**
   * Bytes queued towards this subscriber that it has not read yet, or undefined when it cannot
   * drain now (no socket, paused by the lab, closing). Lets a producer (the lab's blast) pace itself.
   */
  backlog?(): number | undefined;
}

/**
 * What a channel tells the app holding it as its state changes, so the app keeps its idle count
 * and history total up to date without walking every channel (`App` in apps.ts).
 */
export interface ChannelWatcher {
  /** The channel went from idle to in use, or back. */
  idleChanged(channel: Channel): void;
  /** The channel's history grew by one message (a full ring that evicts does not grow). */
  historyGrew(channel: Channel): void;
}

/**
 * The subscribers of a channel: a Set that tells its channel when it changes, so whoever adds or
 * deletes (sessions, tests) cannot leave the app's idle count behind.
 */
class SubscriberSet extends Set<Subscriber> {
  constructor(private readonly changed: () => void) {
    super();
  }
  override add(sub: Subscriber): this {
    const had = this.has(sub);
    super.add(sub);
    if (!had) this.changed();
    return this;
  }
  override delete(sub: Subscriber): boolean {
    const had = super.delete(sub);
    if (had) this.changed();
    return had;
  }
  override clear(): void {
    const had = this.size > 0;
    super.clear();
    if (had) this.changed();
  }
}

/** One stored message; `frame` is the MESSAGE ProtocolMessage it was delivered in (shared). */
export interface HistoryEntry {
  seq: number;
  message: Message;
  frame: OutFrame;
}

export interface PublishMeta {
  /** Publisher's connection (absent for REST publishes). */
  connectionId?: string;
  /** ProtocolMessage id for the fan-out frame, e.g. `connId:msgSerial` (TR4n). */
  frameId?: string;
  /** The publisher gave message ids: remember them for idempotent publishing (RSL1k). */
  idempotent?: boolean;
  timestamp: number;
}

/**
 * A channel: serial counter, bounded history (used for REST history and resume replay),
 * idempotency window, and subscribers. Serials are `<epoch>@<seq>` where epoch changes each time
 * the channel is created, so a serial from a previous server run never claims continuity.
 */
export class Channel {
  readonly epoch = randomBytes(4).toString('hex');
  private seq = 0;
  readonly history: Ring<HistoryEntry>;
  private readonly idempotent: BoundedMap<string, string[]>;
  readonly subscribers: Set<Subscriber> = new SubscriberSet(() => this.stateChanged());
  publishedMessages = 0;
  /** Attachments (subscribing or not) and producers (a running blast) using this channel now. */
  private pins = 0;
  /** `idle` as the watcher last heard it. */
  private wasIdle = true;
  /**
   * The app holding this channel; cleared when the app forgets it, so a stale holder's changes
   * no longer count towards the app.
   */
  watcher: ChannelWatcher | undefined;

  constructor(
    readonly name: string,
    limits: ServerLimits,
    watcher?: ChannelWatcher,
  ) {
    this.watcher = watcher;
    this.history = new Ring(limits.historyPerChannel, () => this.watcher?.historyGrew(this));
    this.idempotent = new BoundedMap(limits.idempotencyWindow);
  }

  serialOf(seq: number): string {
    return `${this.epoch}@${seq.toString().padStart(10, '0')}`;
  }

  /** The serial of the latest message (the attach serial). */
  get currentSerial(): string {
    return this.serialOf(this.seq);
  }

  /** Parses one of our serials; undefined if it is from another epoch or malformed. */
  seqOf(serial: string): number | undefined {
    const at = serial.indexOf('@');
    if (at < 0 || serial.slice(0, at) !== this.epoch) return undefined;
    const n = Number(serial.slice(at + 1));
    return Number.isInteger(n) && n >= 0 && n <= this.seq ? n : undefined;
  }

  /** Serials previously assigned to this idempotent message id (RSL1k), if any. */
  duplicateOf(id: string | undefined): string[] | undefined {
    return id === undefined ? undefined : this.idempotent.get(id);
  }

  /**
   * Assigns serials, stores, fans out. Messages must already be canonical and stamped
   * (id/clientId/connectionId/timestamp). Returns one serial per message.
   */
  publish(messages: Message[], meta: PublishMeta): string[] {
    const serials: string[] = new Array(messages.length);
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      m.serial = serials[i] = this.serialOf(++this.seq);
    }
    const pm = {
      action: Action.MESSAGE,
      channel: this.name,
      id: meta.frameId,
      connectionId: meta.connectionId,
      timestamp: meta.timestamp,
      channelSerial: serials[serials.length - 1],
      messages,
    };
    const frame = new OutFrame(pm);
    const first = messages[0]?.id;
    if (meta.idempotent && first !== undefined) this.idempotent.set(first, serials);
    for (let i = 0; i < messages.length; i++)
      this.history.push({ seq: this.seq - messages.length + 1 + i, message: messages[i]!, frame });
    this.publishedMessages += messages.length;
    const from = meta.connectionId;
    for (const sub of this.subscribers) {
      if (!sub.echo && sub.connectionId === from) continue;
      try {
        sub.deliver(frame);
      } catch {
        // One subscriber that cannot take the frame (its encoding, its socket) must not cost the
        // others theirs, nor the publisher its ACK: the message is already stored and serialled.
      }
    }
    frame.release(); // delivered (or held by sockets); history keeps only the message objects
    return serials;
  }

  /**
   * Frames a subscriber missed after `serial` (resume/recover replay, RTN15c6/RTL4c1), or
   * undefined if continuity cannot be guaranteed (other epoch, or evicted from history).
   */
  framesAfter(serial: string, sub: Subscriber): OutFrame[] | undefined {
    const after = this.seqOf(serial);
    if (after === undefined) return undefined;
    const h = this.history;
    const oldest = h.length ? h.get(0).seq : this.seq + 1;
    if (after + 1 < oldest) return undefined; // gap: evicted
    const out: OutFrame[] = [];
    let last: OutFrame | undefined;
    for (let i = Math.max(0, after + 1 - oldest); i < h.length; i++) {
      const e = h.get(i);
      if (e.frame === last) continue;
      last = e.frame;
      if (!sub.echo && e.frame.pm.connectionId === sub.connectionId) continue;
      out.push(e.frame);
    }
    return out;
  }

  /**
   * The backlog a `rewind` channel param asks for: the last `count` messages, or those published
   * at or after `since` (ms), oldest first, one MESSAGE frame each (fresh frames: history shares
   * its frames with resume replay). Own messages are skipped for an `echo=false` subscriber.
   */
  rewind(want: { count: number } | { since: number }, sub: Subscriber): OutFrame[] {
    const h = this.history;
    const picked: HistoryEntry[] = [];
    for (let i = h.length - 1; i >= 0; i--) {
      const e = h.get(i);
      if ('count' in want ? picked.length >= want.count : (e.message.timestamp ?? 0) < want.since) break;
      if (!sub.echo && e.message.connectionId === sub.connectionId) continue;
      picked.push(e);
    }
    return picked.reverse().map(
      (e) =>
        new OutFrame({
          action: Action.MESSAGE,
          channel: this.name,
          id: e.frame.pm.id,
          connectionId: e.frame.pm.connectionId,
          timestamp: e.message.timestamp,
          channelSerial: e.message.serial,
          messages: [e.message],
        }),
    );
  }

  get isActive(): boolean {
    return this.subscribers.size > 0;
  }

  /**
   * Someone holds this channel object (an attachment, a blast): the app must not forget it, or
   * they would go on using a copy that later publishes and subscribers never reach.
   */
  pin(): void {
    this.pins++;
    this.stateChanged();
  }

  unpin(): void {
    if (this.pins > 0) this.pins--;
    this.stateChanged();
  }

  private stateChanged(): void {
    const idle = this.idle;
    if (idle === this.wasIdle) return;
    this.wasIdle = idle;
    this.watcher?.idleChanged(this);
  }

  /** Nobody holds it and nobody subscribes: forgetting it loses only its history. */
  get idle(): boolean {
    return this.pins === 0 && this.subscribers.size === 0;
  }
}
