import { describe, expect, it, vi } from 'vitest';
import { defaultLimits } from '../limits.ts';
import { retainedBytes } from '../test/heap.ts';
import { App, AppRegistry } from './apps.ts';
import { Channel, type HistoryEntry, type Subscriber } from './channel.ts';

function fill(app: App, name: string, n: number): void {
  const ch = app.channel(name);
  for (let i = 0; i < n; i++)
    ch.history.push({ seq: i + 1, message: { id: `${name}:${i}` }, frame: {} } as unknown as HistoryEntry);
}

describe('App history budget (maxHistoryPerApp)', () => {
  const limits = { ...defaultLimits, historyPerChannel: 100, maxHistoryPerApp: 250 };

  it('forgets the least recently used idle channels until the app fits, keeping attached ones', () => {
    const app = new App('a', limits);
    const sub: Subscriber = { connectionId: 'c', echo: true, deliver() {} };
    fill(app, 'attached', 100);
    app.channel('attached').subscribers.add(sub);
    fill(app, 'old', 100);
    fill(app, 'mid', 100);
    fill(app, 'new', 100);
    app.channel('mid'); // used again: now more recent than 'new'
    expect(app.forgetIdleChannels()).toBe(2);
    expect([...app.channels.keys()].sort()).toEqual(['attached', 'mid']);
  });

  it('forgets nothing while the app is within its budget', () => {
    const app = new App('b', limits);
    fill(app, 'x', 100);
    fill(app, 'y', 100);
    expect(app.forgetIdleChannels()).toBe(0);
    expect(app.channels.size).toBe(2);
  });

  it('runs by itself as channels are used, so a long run stays bounded', () => {
    const app = new App('c', limits);
    for (let i = 0; i < 2000; i++) fill(app, `round-${i}`, 100);
    let total = 0;
    for (const ch of app.channels.values()) total += ch.history.length;
    expect(total).toBeLessThanOrEqual(limits.maxHistoryPerApp + 256 * 100);
    expect(app.channels.size).toBeLessThan(300);
  });
});

describe('App history budget never takes a channel from under its users', () => {
  const limits = { ...defaultLimits, historyPerChannel: 100, maxHistoryPerApp: 250 };
  const sub = (id: string): Subscriber => ({ connectionId: id, echo: true, deliver() {} });

  // A lab run keeps earlier rounds' channels attached, so the app stays over its budget even
  // after every idle channel is gone. The channel a lookup returns (an attach or a blast about
  // to use it) must still be the app's channel afterwards, or its subscribers miss everything.
  it('keeps the channel being looked up, even when the app is still over budget without it', () => {
    const app = new App('d', limits);
    for (let i = 0; i < 3; i++) {
      fill(app, `held-${i}`, 100);
      app.channel(`held-${i}`).subscribers.add(sub(`c${i}`));
    }
    for (let lookup = 0; lookup < 600; lookup++) {
      const ch = app.channel(`round-${lookup}`);
      expect(app.channels.get(`round-${lookup}`)).toBe(ch);
    }
  });

  it('keeps channels that are attached without subscribing (publish-only) or pinned by a producer', () => {
    const app = new App('e', limits);
    const publisher = app.channel('publish-only');
    publisher.pin();
    const blasted = app.channel('blasted');
    blasted.pin();
    fill(app, 'publish-only', 100);
    fill(app, 'blasted', 100);
    fill(app, 'idle', 100); // 300 > 250: one channel must go, and only 'idle' may
    expect(app.forgetIdleChannels()).toBe(1);
    expect([...app.channels.keys()].sort()).toEqual(['blasted', 'publish-only']);
    expect(app.channels.get('publish-only')).toBe(publisher);
    expect(app.channels.get('blasted')).toBe(blasted);
    publisher.unpin();
    blasted.unpin();
    fill(app, 'idle', 100);
    expect(app.forgetIdleChannels()).toBe(1); // now the least recently used of the unpinned
    expect(app.channels.has('publish-only')).toBe(false);
  });
});

describe('Channel memory: idle channels cost little and do not pile up', () => {
  it('an idle channel with a 10,000-id idempotency window costs far less than the window (1000 channels < 10 MB)', () => {
    const { bytes, value } = retainedBytes(() => {
      const app = new App('m', { ...defaultLimits, idempotencyWindow: 10_000 });
      for (let i = 0; i < 1000; i++) app.channel(`lazy-${i}`);
      return app;
    });
    expect((value as App).channels.size).toBe(1000);
    expect(bytes).toBeLessThan(10 * 1024 * 1024); // a preallocated window would be ~80 MB
  });

  it('forgets the least recently used idle channels beyond maxIdleChannelsPerApp, never a pinned or subscribed one', () => {
    const app = new App('n', { ...defaultLimits, maxIdleChannelsPerApp: 100 });
    const held = app.channel('held');
    held.pin();
    const subscribed = app.channel('subscribed');
    subscribed.subscribers.add({ connectionId: 'c', echo: true, deliver() {} });
    for (let i = 0; i < 5000; i++) app.channel(`churn-${i}`);
    app.forgetIdleChannels();
    expect(app.channels.size).toBeLessThanOrEqual(102);
    expect(app.channels.get('held')).toBe(held);
    expect(app.channels.get('subscribed')).toBe(subscribed);
    expect(app.channels.has('churn-4999')).toBe(true); // the most recently used idle ones stay
    expect(app.channels.has('churn-0')).toBe(false);
  });

  it('refuses a new channel with 40114 once maxChannelsPerApp channels are all in use; an idle one makes room', () => {
    const app = new App('o', { ...defaultLimits, maxChannelsPerApp: 10 });
    const used = Array.from({ length: 10 }, (_, i) => {
      const ch = app.channel(`used-${i}`);
      ch.pin();
      return ch;
    });
    expect(() => app.channel('one-too-many')).toThrow(expect.objectContaining({ code: 40114, statusCode: 403 }));
    expect(app.channel('used-3')).toBe(used[3]); // existing channels keep working
    used[0]!.unpin();
    expect(app.channel('one-too-many').name).toBe('one-too-many'); // the idle 'used-0' was forgotten for it
    expect(app.channels.has('used-0')).toBe(false);
    expect(app.channels.size).toBe(10);
  });
});

describe('App bookkeeping is incremental: a lookup never walks every channel', () => {
  /** The totals recounted the slow way, to compare with what the app keeps as channels change. */
  function recount(app: App): { idle: number; history: number } {
    let idle = 0;
    let history = 0;
    for (const ch of app.channels.values()) {
      if (ch.idle) idle++;
      history += ch.history.length;
    }
    return { idle, history };
  }

  it('keeps the idle count and the history total right through attach, subscribe, publish, detach and forgetting', () => {
    const app = new App('inc', {
      ...defaultLimits,
      historyPerChannel: 5,
      maxHistoryPerApp: 40,
      maxIdleChannelsPerApp: 6,
    });
    const subs = Array.from({ length: 4 }, (_, i): Subscriber => ({ connectionId: `c${i}`, echo: true, deliver() {} }));
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let step = 0; step < 5000; step++) {
      const ch = app.channel(`ch-${rand(30)}`);
      switch (rand(7)) {
        case 0:
          ch.pin();
          break;
        case 1:
          ch.unpin();
          break;
        case 2:
          ch.subscribers.add(subs[rand(4)]!);
          break;
        case 3:
          ch.subscribers.delete(subs[rand(4)]!);
          break;
        case 4:
          ch.subscribers.clear();
          break;
        default:
          ch.publish([{ data: String(step) }], { timestamp: step }); // history grows until historyPerChannel
      }
      expect({ idle: app.idleChannelCount, history: app.historyTotal }).toEqual(recount(app));
    }
    app.forgetIdleChannels();
    expect(app.idleChannelCount).toBeLessThanOrEqual(6);
    expect({ idle: app.idleChannelCount, history: app.historyTotal }).toEqual(recount(app));
  });

  it('a forgotten channel that someone still holds no longer counts towards the app', () => {
    const app = new App('gone', { ...defaultLimits, maxIdleChannelsPerApp: 1 });
    const stale = app.channel('stale');
    app.channel('next');
    expect(app.forgetIdleChannels()).toBe(1); // two idle, bound 1: 'stale' goes
    expect(app.channels.has('stale')).toBe(false);
    stale.pin();
    stale.subscribers.add({ connectionId: 'c', echo: true, deliver() {} });
    stale.publish([{ data: 'x' }], { timestamp: 1 });
    expect({ idle: app.idleChannelCount, history: app.historyTotal }).toEqual(recount(app));
  });

  it('reads the state of a bounded number of channels per lookup, however many the app holds', () => {
    const app = new App('scan', { ...defaultLimits, maxIdleChannelsPerApp: 100_000 });
    for (let i = 0; i < 20_000; i++) app.channel(`many-${i}`);
    const reads = vi.spyOn(Channel.prototype, 'idle', 'get');
    try {
      for (let i = 0; i < 1000; i++) app.channel(`many-${i}`);
      expect(reads.mock.calls.length).toBeLessThanOrEqual(2 * 1000); // a scan would be 20,000 per pass
    } finally {
      reads.mockRestore();
    }
  });
});

describe('Idle channels age out (idleChannelTtl), on an injected clock', () => {
  const ttl = 60_000;
  const setup = () => {
    const clock = { now: 1_000_000 };
    const app = new App('ttl', { ...defaultLimits, idleChannelTtl: ttl }, () => clock.now);
    return { app, clock };
  };
  const sub: Subscriber = { connectionId: 'c', echo: true, deliver() {} };

  it('forgets a channel idle for idleChannelTtl, never one attached, subscribed or pinned, however old', () => {
    const { app, clock } = setup();
    app.channel('old');
    const held = app.channel('held');
    held.pin();
    const subscribed = app.channel('subscribed');
    subscribed.subscribers.add(sub);
    clock.now += 30_000;
    app.channel('recent');
    clock.now += ttl - 30_000 - 1;
    expect(app.forgetIdleChannels()).toBe(0); // 'old' is one ms short of the ttl
    clock.now += 1;
    expect(app.forgetIdleChannels()).toBe(1);
    expect([...app.channels.keys()].sort()).toEqual(['held', 'recent', 'subscribed']);
    clock.now += 10 * ttl;
    expect(app.forgetIdleChannels()).toBe(1);
    expect([...app.channels.keys()].sort()).toEqual(['held', 'subscribed']);
    expect(app.channels.get('held')).toBe(held);
    expect(app.channels.get('subscribed')).toBe(subscribed);
  });

  it('counts idleness from the last use: a lookup (attach, publish) or the last detach/unsubscribe restarts it', () => {
    const { app, clock } = setup();
    const used = app.channel('used');
    const detached = app.channel('detached');
    detached.pin();
    clock.now += ttl - 1;
    app.channel('used'); // used again just before it would have gone
    detached.unpin(); // idle from now on
    clock.now += ttl - 1;
    expect(app.forgetIdleChannels()).toBe(0);
    expect(app.channels.get('used')).toBe(used);
    expect(app.channels.get('detached')).toBe(detached);
    clock.now += 1;
    expect(app.forgetIdleChannels()).toBe(2);
    expect(app.channels.size).toBe(0);
    expect({ idle: app.idleChannelCount, history: app.historyTotal }).toEqual({ idle: 0, history: 0 });
  });

  it('the registry ages every app out in one call (the server calls it on its housekeeping tick)', () => {
    const clock = { now: 0 };
    const apps = new AppRegistry({ ...defaultLimits, idleChannelTtl: ttl }, () => clock.now);
    const a = apps.createApp('a');
    const b = apps.createApp('b');
    a.channel('x');
    b.channel('y');
    b.channel('kept').pin();
    clock.now += ttl;
    expect(apps.forgetIdleChannels()).toBe(2);
    expect([...a.channels.keys(), ...b.channels.keys()]).toEqual(['kept']);
  });
});
