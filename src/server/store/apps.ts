import { randomBytes } from 'node:crypto';
import { type Capability, parseCapability, capabilityText, ALL_CAPABILITY } from '../auth/capability.ts';
import { Errors } from '../errors.ts';
import type { ServerLimits } from '../limits.ts';
import { Channel, type ChannelWatcher } from './channel.ts';

/** An API key `appId.keyId:secret` (keyName = `appId.keyId`). */
export interface ApiKey {
  appId: string;
  keyId: string;
  keyName: string;
  secret: string;
  capability: Capability;
  /** Nonces of signed TokenRequests already used, with when they may be forgotten (RSA9, 40105). */
  usedNonces?: Map<string, number>;
}

/**
 * An app: its keys and its channels. Apps are isolated from each other (sandbox POST /apps).
 *
 * Channels nobody uses (no attachment, no subscriber, no running blast: `Channel.idle`) are
 * remembered, with their history, until one of the bounds forgets the least recently used:
 * more than `maxIdleChannelsPerApp` idle channels, more than `maxHistoryPerApp` messages in the
 * app's history, or idle for `idleChannelTtl`. Channels report their state changes
 * (`ChannelWatcher`), so the app keeps its idle channels in order of last use and its history
 * total as they change: a lookup costs the same with 10 channels or 50,000.
 */
export class App implements ChannelWatcher {
  readonly keys = new Map<string, ApiKey>();
  readonly channels = new Map<string, Channel>();
  /** The idle channels, least recently used first, each with when it was last used. */
  private readonly idleSince = new Map<Channel, number>();
  private history = 0;
  private lookups = 0;
  constructor(
    readonly id: string,
    private readonly limits: ServerLimits,
    private readonly now: () => number = Date.now,
  ) {}

  addKey(keyId: string, secret: string, capability: Capability = ALL_CAPABILITY): ApiKey {
    const key: ApiKey = { appId: this.id, keyId, keyName: `${this.id}.${keyId}`, secret, capability };
    this.keys.set(key.keyName, key);
    return key;
  }

  /** Channels of this app nobody uses now. */
  get idleChannelCount(): number {
    return this.idleSince.size;
  }

  /** Messages held in the history of all this app's channels. */
  get historyTotal(): number {
    return this.history;
  }

  /**
   * The channel (created on first use), marked as used now. Every 256 lookups (and on the
   * server's housekeeping tick) the bounds are applied, before the lookup, so the channel
   * returned is never the one forgotten: its caller is about to attach to it or publish on it.
   * The pass is cheap, but stays batched: run before every lookup while the app is over its
   * history budget, it would forget a channel its caller had used a moment before, one at a time.
   * A new channel beyond `maxChannelsPerApp`, when every channel is in use, is refused with 40114.
   */
  channel(name: string): Channel {
    if (++this.lookups % 256 === 0) this.forgetIdleChannels();
    let ch = this.channels.get(name);
    if (!ch) {
      const max = this.limits.maxChannelsPerApp;
      if (
        this.channels.size >= max &&
        this.forgetIdleChannels(this.channels.size - max + 1) === 0 &&
        this.channels.size >= max
      ) {
        throw Errors.channelLimit(
          `Channel limit exceeded: app ${this.id} has ${this.channels.size} channels in use (maxChannelsPerApp ${max})`,
        );
      }
      ch = new Channel(name, this.limits, this);
      this.channels.set(name, ch);
    }
    if (ch.idle) this.markIdle(ch);
    return ch;
  }

  /**
   * Forgets least recently used idle channels while there are more than
   * `maxIdleChannelsPerApp` of them, the app's history exceeds `maxHistoryPerApp`, the oldest
   * has been idle for `idleChannelTtl`, or fewer than `atLeast` have been forgotten. A channel
   * in use is never forgotten, even if the app stays over a budget because of it. Returns how
   * many were forgotten. Each check looks at the least recently used idle channel only.
   */
  forgetIdleChannels(atLeast = 0): number {
    const { maxIdleChannelsPerApp, maxHistoryPerApp, idleChannelTtl } = this.limits;
    const usedBefore = this.now() - idleChannelTtl;
    let forgotten = 0;
    for (const [ch, since] of this.idleSince) {
      if (
        forgotten >= atLeast &&
        this.idleSince.size <= maxIdleChannelsPerApp &&
        this.history <= maxHistoryPerApp &&
        since > usedBefore
      )
        break;
      this.forget(ch);
      forgotten++;
    }
    return forgotten;
  }

  private forget(ch: Channel): void {
    this.idleSince.delete(ch);
    this.history -= ch.history.length;
    if (this.channels.get(ch.name) === ch) this.channels.delete(ch.name);
    ch.watcher = undefined;
  }

  /** Moves an idle channel to the most recently used end. */
  private markIdle(ch: Channel): void {
    this.idleSince.delete(ch);
    this.idleSince.set(ch, this.now());
  }

  idleChanged(ch: Channel): void {
    if (ch.idle) this.markIdle(ch);
    else this.idleSince.delete(ch);
  }

  historyGrew(): void {
    this.history++;
  }
}

export function keyString(k: ApiKey): string {
  return `${k.keyName}:${k.secret}`;
}

export function randomId(bytes = 9): string {
  return randomBytes(bytes).toString('base64url');
}

/** All apps of one server, with key lookup. */
export class AppRegistry {
  readonly apps = new Map<string, App>();
  /**
   * The realtime connection a connectionKey belongs to (set by the Hub), so a REST publish can be
   * made on behalf of it (TM2h).
   */
  connectionOf: (connectionKey: string) => { connectionId: string; app: App } | undefined = () => undefined;
  constructor(
    private readonly limits: ServerLimits,
    private readonly now: () => number = Date.now,
  ) {}

  createApp(id = randomId(6)): App {
    if (this.apps.has(id)) throw Errors.badRequest(`App ${id} already exists`);
    const app = new App(id, this.limits, this.now);
    this.apps.set(id, app);
    return app;
  }

  deleteApp(id: string): boolean {
    return this.apps.delete(id);
  }

  /**
   * Forgets the channels of every app that are over a bound, idle for `idleChannelTtl` above
   * all: run on the server's housekeeping tick, so memory returns when nobody looks channels up.
   */
  forgetIdleChannels(): number {
    let n = 0;
    for (const app of this.apps.values()) n += app.forgetIdleChannels();
    return n;
  }

  /** Finds a key by keyName; 40400 if no such app/key. */
  key(keyName: string): ApiKey {
    const dot = keyName.indexOf('.');
    const app = dot > 0 ? this.apps.get(keyName.slice(0, dot)) : undefined;
    const key = app?.keys.get(keyName);
    if (!key) throw Errors.notFound(`No such key: ${keyName}`);
    return key;
  }

  /**
   * Checks a full `keyName:secret` string: 40005 malformed, 40101 wrong secret, 40400 unknown
   * key. A key whose app is unknown is 40400 too, or 40101 with `unknownApp: 'unauthorized'`:
   * what Ably's realtime answers (RTN14a; https://github.com/ably/ably-js/pull/1935).
   */
  checkKey(full: string, unknownApp: 'notFound' | 'unauthorized' = 'notFound'): ApiKey {
    const colon = full.indexOf(':');
    if (colon <= 0 || full.indexOf('.') <= 0 || full.indexOf('.') > colon)
      throw Errors.invalidCredential('Invalid key: expected appId.keyId:secret');
    const appId = full.slice(0, full.indexOf('.'));
    if (unknownApp === 'unauthorized' && !this.apps.has(appId))
      throw Errors.unauthorized(`Invalid credentials: no app ${appId}`);
    const key = this.key(full.slice(0, colon));
    if (key.secret !== full.slice(colon + 1)) throw Errors.unauthorized('Invalid credentials: wrong key secret');
    return key;
  }

  app(id: string): App {
    const app = this.apps.get(id);
    if (!app) throw Errors.notFound(`No such app: ${id}`);
    return app;
  }
}

/** Sandbox-style app JSON (ably-common test-app-setup.json `post_apps` response shape). */
export function appJson(app: App): Record<string, unknown> {
  return {
    appId: app.id,
    accountId: 'lab',
    status: 'enabled',
    tlsOnly: false,
    keys: [...app.keys.values()].map((k) => ({
      id: k.keyId,
      value: k.secret,
      keyName: k.keyName,
      keySecret: k.secret,
      keyStr: keyString(k),
      capability: capabilityText(k.capability),
      expires: null,
      privileged: false,
    })),
  };
}

export { parseCapability };
