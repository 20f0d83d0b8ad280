import { randomBytes } from 'node:crypto';
import { type Capability, parseCapability, capabilityText, ALL_CAPABILITY } from '../auth/capability.ts';
import { Errors } from '../errors.ts';
import type { ServerLimits } from '../limits.ts';
import { Channel } from './channel.ts';

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

/** An app: its keys and its channels. Apps are isolated from each other (sandbox POST /apps). */
export class App {
  readonly keys = new Map<string, ApiKey>();
  readonly channels = new Map<string, Channel>();
  constructor(
    readonly id: string,
    private readonly limits: ServerLimits,
  ) {}

  addKey(keyId: string, secret: string, capability: Capability = ALL_CAPABILITY): ApiKey {
    const key: ApiKey = { appId: this.id, keyId, keyName: `${this.id}.${keyId}`, secret, capability };
    this.keys.set(key.keyName, key);
    return key;
  }

  private lookups = 0;
  /**
   * The channel (created on first use). Map order is kept least recently used first. Forgetting
   * runs before the lookup, so the channel returned is never the one forgotten: its caller is
   * about to attach to it or publish on it. A new channel beyond `maxChannelsPerApp`, when every
   * channel is in use, is refused with 40114.
   */
  channel(name: string): Channel {
    if (++this.lookups % 256 === 0) this.forgetIdleChannels();
    let ch = this.channels.get(name);
    if (ch) this.channels.delete(name);
    else {
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
      ch = new Channel(name, this.limits);
    }
    this.channels.set(name, ch);
    return ch;
  }

  /**
   * Forgets least recently used idle channels (no attachment, no subscriber, no running blast)
   * while there are more than `maxIdleChannelsPerApp` of them, the app's history exceeds
   * `maxHistoryPerApp`, or fewer than `atLeast` have been forgotten. A channel in use is never
   * forgotten, even if the app stays over a budget because of it. Returns how many were forgotten.
   */
  forgetIdleChannels(atLeast = 0): number {
    let total = 0;
    let idle = 0;
    for (const ch of this.channels.values()) {
      total += ch.history.length;
      if (ch.idle) idle++;
    }
    let forgotten = 0;
    for (const [name, ch] of this.channels) {
      if (total <= this.limits.maxHistoryPerApp && idle <= this.limits.maxIdleChannelsPerApp && forgotten >= atLeast)
        break;
      if (!ch.idle) continue;
      total -= ch.history.length;
      idle--;
      this.channels.delete(name);
      forgotten++;
    }
    return forgotten;
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
  constructor(private readonly limits: ServerLimits) {}

  createApp(id = randomId(6)): App {
    if (this.apps.has(id)) throw Errors.badRequest(`App ${id} already exists`);
    const app = new App(id, this.limits);
    this.apps.set(id, app);
    return app;
  }

  deleteApp(id: string): boolean {
    return this.apps.delete(id);
  }

  /** Finds a key by keyName; 40400 if no such app/key. */
  key(keyName: string): ApiKey {
    const dot = keyName.indexOf('.');
    const app = dot > 0 ? this.apps.get(keyName.slice(0, dot)) : undefined;
    const key = app?.keys.get(keyName);
    if (!key) throw Errors.notFound(`No such key: ${keyName}`);
    return key;
  }

  /** Checks a full `keyName:secret` string: 40005 malformed, 40400 unknown key, 40101 wrong secret. */
  checkKey(full: string): ApiKey {
    const colon = full.indexOf(':');
    if (colon <= 0 || full.indexOf('.') <= 0 || full.indexOf('.') > colon)
      throw Errors.invalidCredential('Invalid key: expected appId.keyId:secret');
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
