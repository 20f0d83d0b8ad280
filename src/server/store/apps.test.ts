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
