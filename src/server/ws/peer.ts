import type { WebSocket } from 'ws';
import { decodeFrame, encodeJson, encodeMsgpack, OutFrame, wsFrameOf } from '../codec/frame.ts';
import { errorInfo, Errors, toAblyError } from '../errors.ts';
import type { ServerLimits } from '../limits.ts';
import type { Metrics } from '../metrics.ts';
import { Action } from '../../wire/actions.ts';
import type { Hub } from '../protocol/hub.ts';
import type { Session, Transport } from '../protocol/session.ts';
import type { ProtocolMessage } from '../protocol/types.ts';

type Held = { data: Buffer; due: number } | { close: true; due: number };

/**
 * One WebSocket bound to one Session: decoding inbound frames, encoding (once per fan-out) and
 * writing outbound ones, backpressure (ws.bufferedAmount capped, then disconnect), and the lab's
 * fault injection (outbound delay, pause).
 */
export class Peer implements Transport {
  lastSentAt = Date.now();
  alive = true;
  /** No more frames accepted (closing, or dropped); held frames may still drain before a close. */
  private ending = false;
  /** Socket terminated: nothing more is written. */
  private dead = false;
  /** Lab fault injection: every outbound frame waits this long (order kept). */
  delayMs = 0;
  paused = false;
  private held: Held[] = [];
  private heldBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly binary: boolean;
  /** The TCP socket under `ws` (private field; ws has no public cork). */
  private readonly raw:
    | { cork(): void; uncork(): void; pause(): void; resume(): void; write(b: Buffer): boolean }
    | undefined;
  private corked = false;
  private readonly uncork = () => {
    this.corked = false;
    this.raw?.uncork();
  };

  constructor(
    readonly ws: WebSocket,
    readonly session: Session,
    private readonly hub: Hub,
    private readonly metrics: Metrics,
    private readonly limits: ServerLimits,
    private readonly onGone: (p: Peer) => void,
  ) {
    this.binary = session.format === 'msgpack';
    this.raw = (ws as unknown as { _socket?: Peer['raw'] })._socket;
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onFrame(data, isBinary));
    ws.on('pong', () => (this.alive = true));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearTimeout(this.timer);
      this.held = [];
      this.hub.dropped(this.session, this);
      this.onGone(this);
    });
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    this.alive = true;
    this.metrics.framesIn++;
    this.metrics.bytesIn += data.length;
    if (this.ending) return;
    if (data.length > this.limits.maxFrameSize) {
      return this.session.fail(
        Errors.messageTooLarge(`Frame of ${data.length} bytes exceeds maxFrameSize ${this.limits.maxFrameSize}`),
      );
    }
    let pm: ProtocolMessage;
    try {
      pm = decodeFrame(data, isBinary, this.session.format, this.limits.maxInputDepth);
    } catch (e) {
      return this.session.fail(toAblyError(e));
    }
    if (this.session.transport !== this) return; // superseded by a resume on another socket
    this.session.handle(pm);
  }

  send(frame: OutFrame | ProtocolMessage): void {
    if (this.ending) return;
    const format = this.session.format;
    const data = frame instanceof OutFrame ? frame.wire(format) : wsFrameOf(frame, format);
    if (this.paused || this.delayMs > 0 || this.held.length) {
      this.held.push({ data, due: Date.now() + this.delayMs });
      this.heldBytes += data.length;
      if (this.heldBytes + this.ws.bufferedAmount > this.limits.maxOutboundBufferBytes) return this.slowConsumer();
      this.armTimer();
      return;
    }
    this.write(data);
  }

  /**
   * Frames written in one tick leave in one writev: the socket is corked on the first write and
   * uncorked in a microtask (fan-out of a burst costs one syscall per subscriber, not per frame).
   */
  private write(data: Buffer): void {
    const raw = this.raw;
    if (!raw || this.ws.readyState !== 1) return;
    if (!this.corked) {
      this.corked = true;
      raw.cork();
      queueMicrotask(this.uncork);
    }
    // A complete unmasked WS frame (ws/frame.ts), written below ws: with perMessageDeflate off,
    // ws's Sender writes synchronously too, so frames never interleave.
    raw.write(data);
    this.metrics.framesOut++;
    this.metrics.bytesOut += data.length;
    this.lastSentAt = Date.now();
    if (this.ws.bufferedAmount > this.limits.maxOutboundBufferBytes) this.slowConsumer();
  }

  /** Past maxOutboundBufferBytes the client is not reading: drop it (state kept for resume). */
  private slowConsumer(): void {
    if (this.dead) return;
    this.metrics.slowConsumerDisconnects++;
    this.kill();
  }

  private kill(): void {
    this.ending = this.dead = true;
    this.held = [];
    this.ws.terminate();
  }

  private armTimer(): void {
    if (this.paused || this.timer || !this.held.length) return;
    const wait = Math.max(0, this.held[0]!.due - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drainHeld();
    }, wait);
  }

  private drainHeld(): void {
    const now = Date.now();
    while (this.held.length && !this.paused && this.held[0]!.due <= now) {
      const h = this.held.shift()!;
      if ('close' in h) {
        this.ws.close(1000);
        return;
      }
      this.heldBytes -= h.data.length;
      this.write(h.data);
      if (this.dead) return;
    }
    this.armTimer();
  }

  /**
   * Outbound bytes the client has not taken yet (socket buffer + frames held by delay), or
   * undefined when this peer cannot drain now (paused by the lab, closing).
   */
  backlog(): number | undefined {
    if (this.paused || this.ending) return undefined;
    return this.ws.bufferedAmount + this.heldBytes;
  }

  /** Close after the queued frames are written (CLOSED, ERROR). */
  end(): void {
    if (this.ending) return;
    if (this.paused) return this.kill(); // a paused socket cannot flush; don't leave it hanging
    if (this.held.length) {
      this.held.push({ close: true, due: Date.now() + this.delayMs });
      this.ending = true;
      return;
    }
    this.ending = true;
    this.ws.close(1000);
  }

  /** Lab: drop the socket, optionally telling the client first (DISCONNECTED, RTN15h). */
  drop(withDisconnected: boolean): void {
    if (withDisconnected && !this.ending) {
      const pm = {
        action: Action.DISCONNECTED,
        error: errorInfo(80003, 503, 'Connection dropped by the lab (fault injection)'),
      };
      this.ws.send(this.binary ? encodeMsgpack(pm) : encodeJson(pm), { binary: this.binary });
    }
    if (withDisconnected) {
      this.ending = true;
      this.ws.close(1000);
    } else this.kill();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    if (paused) this.raw?.pause();
    else {
      this.raw?.resume();
      this.drainHeld();
    }
  }

  setDelay(ms: number): void {
    this.delayMs = Math.max(0, ms);
    if (!this.delayMs) this.drainHeld();
  }

  /** Heartbeat sweep: HEARTBEAT when idle (RTN23b browsers need it), WS ping for dead peers. */
  heartbeat(now: number, idleMs: number): void {
    if (this.ending) return;
    if (!this.alive && !this.paused) return this.kill();
    this.alive = false;
    if (now - this.lastSentAt >= idleMs) this.send({ action: Action.HEARTBEAT });
    this.ws.ping();
  }
}
