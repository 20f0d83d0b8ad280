import { describe, expect, it } from 'vitest';
import { defaultLimits } from '../limits.ts';
import { retainedBytes } from '../test/heap.ts';
import { App } from './apps.ts';
import type { HistoryEntry, Subscriber } from './channel.ts';

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
