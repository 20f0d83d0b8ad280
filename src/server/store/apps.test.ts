import { describe, expect, it } from 'vitest';
import { defaultLimits } from '../limits.ts';
import { App } from './apps.ts';
import type { HistoryEntry, Subscriber } from './channel.ts';

function fill(app: App, name: string, n: number): void {
  const ch = app.channel(name);
  for (let i = 0; i < n; i++) ch.history.push({ seq: i + 1, message: { id: `${name}:${i}` }, frame: {} } as unknown as HistoryEntry);
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
