import { expect, test } from 'vitest';
import { OutFrame } from '../codec/frame.ts';
import { defaultLimits } from '../limits.ts';
import { Metrics } from '../metrics.ts';
import { AppRegistry } from '../store/apps.ts';
import { Action, Flag } from '../../wire/actions.ts';
import { Hub } from './hub.ts';
import type { Transport } from './session.ts';
import type { ProtocolMessage } from './types.ts';

/** Pure protocol tests: Session/Hub/Channel with an in-memory transport, no sockets. */
function setup(limits = defaultLimits) {
  let now = 1_000_000;
  const apps = new AppRegistry(limits, () => now);
  const app = apps.createApp('app');
  app.addKey('k', 'secret');
  const metrics = new Metrics();
  const hub = new Hub(apps, limits, metrics, () => now);
  const connect = (query: string) => {
    const r = hub.connect(new URLSearchParams(`key=app.k:secret&${query}`));
    if (!r.ok) throw r.error;
    const out: ProtocolMessage[] = [];
    const state = { ended: false };
    const t: Transport = {
      send: (f) => void out.push(f instanceof OutFrame ? f.pm : f),
      end: () => void (state.ended = true),
    };
    hub.bind(r.session, t, r.error);
    return { session: r.session, out, transport: t, state };
  };
  return { hub, app, metrics, connect, tick: (ms: number) => (now += ms) };
}

const flush = () => new Promise<void>((r) => queueMicrotask(r));

test('rtn7 ACKs for frames handled in one tick are batched: one ACK, count n, res per frame, in order', async () => {
  const { connect, metrics } = setup();
  const { session, out } = connect('');
  out.length = 0;
  for (let i = 0; i < 5; i++)
    session.handle({ action: Action.MESSAGE, channel: 'c', msgSerial: i, messages: [{ data: `m${i}` }] });
  expect(out).toEqual([]);
  await flush();
  expect(out).toHaveLength(1);
  expect(out[0]).toMatchObject({ action: Action.ACK, msgSerial: 0, count: 5 });
  expect(out[0]!.res!.map((r) => r.serials.length)).toEqual([1, 1, 1, 1, 1]);
  expect(metrics.messagesIn).toBe(5);
  metrics.stop();
});

test('rtn7 a NACK flushes earlier ACKs first, so the client sees them in msgSerial order', async () => {
  const { connect, metrics } = setup();
  const { session, out } = connect('');
  out.length = 0;
  session.handle({ action: Action.MESSAGE, channel: 'c', msgSerial: 0, messages: [{ data: 'ok' }] });
  session.handle({ action: Action.MESSAGE, msgSerial: 1, messages: [{ data: 'no channel' }] });
  session.handle({ action: Action.MESSAGE, channel: 'c', msgSerial: 2, messages: [{ data: 'ok' }] });
  await flush();
  expect(out.map((f) => [f.action, f.msgSerial])).toEqual([
    [Action.ACK, 0],
    [Action.NACK, 1],
    [Action.ACK, 2],
  ]);
  metrics.stop();
});

test('rtl4/rtn15 re-ATTACH with channelSerial: ATTACHED with RESUMED first, then the missed frames, skipping own when echo=false', async () => {
  const { connect, hub, tick, metrics } = setup();
  const a = connect('echo=false');
  const b = connect('');
  a.session.handle({ action: Action.ATTACH, channel: 'c' });
  const attached = a.out.find((f) => f.action === Action.ATTACHED)!;
  expect(attached.flags! & Flag.SUBSCRIBE).toBeTruthy();
  expect(attached.flags! & Flag.RESUMED).toBe(0);
  a.session.handle({ action: Action.MESSAGE, channel: 'c', msgSerial: 0, messages: [{ data: 'own' }] });
  await flush();
  hub.dropped(a.session, a.transport);
  tick(1000);
  b.session.handle({ action: Action.MESSAGE, channel: 'c', msgSerial: 0, messages: [{ data: 'missed-1' }] });
  b.session.handle({ action: Action.MESSAGE, channel: 'c', msgSerial: 1, messages: [{ data: 'missed-2' }] });
  const r = hub.connect(new URLSearchParams(`key=app.k:secret&resume=${encodeURIComponent(a.session.key)}`));
  expect(r.ok && r.resumed && r.session === a.session).toBe(true);
  const out: ProtocolMessage[] = [];
  hub.bind(a.session, { send: (f) => void out.push(f instanceof OutFrame ? f.pm : f), end: () => {} });
  expect(out[0]).toMatchObject({ action: Action.CONNECTED, connectionId: a.session.id });
  a.session.handle({ action: Action.ATTACH, channel: 'c', channelSerial: attached.channelSerial! });
  const rest = out.slice(1);
  expect(rest[0]).toMatchObject({ action: Action.ATTACHED, flags: expect.any(Number) });
  expect(rest[0]!.flags! & Flag.RESUMED).toBe(Flag.RESUMED);
  expect(rest.slice(1).map((f) => f.messages![0]!.data)).toEqual(['missed-1', 'missed-2']);
  metrics.stop();
});

test('rtn15 a session is forgotten after connectionStateTtl', () => {
  const { connect, hub, tick, metrics } = setup();
  const a = connect('');
  hub.dropped(a.session, a.transport);
  tick(defaultLimits.connectionStateTtl + 1);
  hub.sweep();
  const r = hub.connect(new URLSearchParams(`key=app.k:secret&resume=${encodeURIComponent(a.session.key)}`));
  expect(r.ok && !r.resumed && r.error?.code).toBe(80008);
  metrics.stop();
});

test('a subscriber on a fresh channel gets every message after the app passed its history budget (lab rounds, channels left attached)', async () => {
  const limits = { ...defaultLimits, historyPerChannel: 50, maxHistoryPerApp: 200 };
  const { connect, metrics } = setup(limits);
  const sub = connect('');
  const pub = connect('');
  for (let round = 0; round < 600; round++) {
    const channel = `round-${round}`;
    sub.out.length = 0;
    sub.session.handle({ action: Action.ATTACH, channel });
    // Two publishes: three channel lookups a round, so the app's periodic budget check (every
    // 256 lookups) falls on an ATTACH in some rounds, as it does in the lab.
    for (const i of [0, 1])
      pub.session.handle({
        action: Action.MESSAGE,
        channel,
        msgSerial: 2 * round + i,
        messages: [{ name: String(i), data: 'x'.repeat(10) }],
      });
    await flush();
    const got = sub.out.filter((f) => f.action === Action.MESSAGE).map((f) => f.messages![0]!.name);
    expect(got, channel).toEqual(['0', '1']);
  }
  metrics.stop();
});

test('rtn15 a channel stays while its subscriber is away and resumable: resume replays what it missed, even with the app over budget', async () => {
  const limits = { ...defaultLimits, historyPerChannel: 50, maxHistoryPerApp: 100 };
  const { connect, hub, metrics } = setup(limits);
  const a = connect('');
  const b = connect('');
  a.session.handle({ action: Action.ATTACH, channel: 'c' });
  const attached = a.out.find((f) => f.action === Action.ATTACHED)!;
  hub.dropped(a.session, a.transport);
  // While a is away, b publishes on 'c' and on many other channels: the app goes over budget
  // and the server forgets idle channels, over and over.
  b.session.handle({ action: Action.MESSAGE, channel: 'c', msgSerial: 0, messages: [{ name: 'missed', data: 'x' }] });
  for (let i = 1; i <= 600; i++)
    b.session.handle({
      action: Action.MESSAGE,
      channel: `other-${i}`,
      msgSerial: i,
      messages: [{ data: 'y'.repeat(10) }],
    });
  await flush();
  const r = hub.connect(new URLSearchParams(`key=app.k:secret&resume=${encodeURIComponent(a.session.key)}`));
  expect(r.ok && r.resumed).toBe(true);
  const out: ProtocolMessage[] = [];
  hub.bind(a.session, { send: (f) => void out.push(f instanceof OutFrame ? f.pm : f), end: () => {} });
  a.session.handle({ action: Action.ATTACH, channel: 'c', channelSerial: attached.channelSerial! });
  const reattached = out.find((f) => f.action === Action.ATTACHED)!;
  expect(reattached.error).toBeUndefined();
  expect(reattached.flags! & Flag.RESUMED).toBe(Flag.RESUMED);
  expect(out.filter((f) => f.action === Action.MESSAGE).map((f) => f.messages![0]!.name)).toEqual(['missed']);
  metrics.stop();
});

test('a session gone for good (CLOSE or TTL expiry) no longer holds its channels', () => {
  const limits = { ...defaultLimits, historyPerChannel: 50, maxHistoryPerApp: 100 };
  const { connect, hub, tick, metrics } = setup(limits);
  const a = connect('');
  const b = connect('');
  a.session.handle({ action: Action.ATTACH, channel: 'held' });
  b.session.handle({ action: Action.MESSAGE, channel: 'held', msgSerial: 0, messages: [{ data: 'x'.repeat(10) }] });
  hub.dropped(a.session, a.transport);
  tick(limits.connectionStateTtl + 1);
  hub.sweep();
  const app = hub.apps.app('app');
  for (let i = 0; i < 120; i++) app.channel(`filler-${i}`).history.push({ seq: 1, message: {}, frame: {} } as never);
  for (let i = 0; i < 300; i++) app.channel('filler-0');
  expect(app.channels.has('held')).toBe(false);
  metrics.stop();
});

test('an ATTACH or publish beyond maxChannelsPerApp gets a channel-scoped 40114; the connection and its channels keep working', async () => {
  const limits = { ...defaultLimits, maxChannelsPerApp: 2 };
  const { connect, metrics } = setup(limits);
  const a = connect('');
  a.session.handle({ action: Action.ATTACH, channel: 'one' });
  a.session.handle({ action: Action.ATTACH, channel: 'two' });
  a.out.length = 0;
  a.session.handle({ action: Action.ATTACH, channel: 'three' });
  expect(a.out).toEqual([
    { action: Action.ERROR, channel: 'three', error: expect.objectContaining({ code: 40114, statusCode: 403 }) },
  ]);
  a.session.handle({ action: Action.MESSAGE, channel: 'three', msgSerial: 0, messages: [{ data: 'x' }] });
  a.session.handle({ action: Action.MESSAGE, channel: 'one', msgSerial: 1, messages: [{ data: 'delivered' }] });
  await flush();
  expect(a.state.ended).toBe(false);
  expect(a.out.filter((f) => f.action === Action.NACK)).toEqual([
    expect.objectContaining({ msgSerial: 0, error: expect.objectContaining({ code: 40114 }) }),
  ]);
  expect(a.out.find((f) => f.action === Action.MESSAGE)!.messages![0]!.data).toBe('delivered');
  expect(a.out.find((f) => f.action === Action.ACK)).toMatchObject({ msgSerial: 1, count: 1 });
  metrics.stop();
});

test('rtn7 a msgSerial that is not a non-negative integer is a protocol error (ERROR 40000): nothing published, nothing ACKed', async () => {
  for (const bad of [1e308, Infinity, NaN, -5, 1.5, '3']) {
    const { connect, hub, metrics } = setup();
    const a = connect('');
    const sub = connect('');
    sub.session.handle({ action: Action.ATTACH, channel: 'c' });
    a.out.length = 0;
    sub.out.length = 0;
    a.session.handle({ action: Action.MESSAGE, channel: 'c', msgSerial: bad as number, messages: [{ data: 'x' }] });
    a.session.handle({ action: Action.MESSAGE, channel: 'c', msgSerial: 0, messages: [{ data: 'after' }] });
    await flush();
    expect(a.out, String(bad)).toEqual([
      { action: Action.ERROR, error: expect.objectContaining({ code: 40000, statusCode: 400 }) },
    ]);
    expect(a.state.ended).toBe(true);
    expect(sub.out).toEqual([]);
    expect(hub.apps.app('app').channels.get('c')!.history.length).toBe(0);
    metrics.stop();
  }
});

test('rtn15 a session the server failed with a fatal ERROR is gone: it cannot be resumed and holds no channel', () => {
  const { connect, hub, metrics } = setup();
  const a = connect('');
  a.session.handle({ action: Action.ATTACH, channel: 'c' });
  a.session.handle({ action: 99 });
  expect(a.out.at(-1)).toMatchObject({ action: Action.ERROR, error: { code: 40000 } });
  hub.dropped(a.session, a.transport);
  const r = hub.connect(new URLSearchParams(`key=app.k:secret&resume=${encodeURIComponent(a.session.key)}`));
  expect(r.ok && r.resumed).toBe(false);
  expect(r.ok && r.session).not.toBe(a.session);
  expect(hub.sessions.has(a.session.id)).toBe(false);
  expect(hub.apps.app('app').channels.get('c')!.idle).toBe(true);
  metrics.stop();
});

test('the housekeeping tick forgets channels idle for idleChannelTtl, never one still attached', () => {
  const { connect, hub, app, tick, metrics } = setup();
  const { session } = connect('');
  session.handle({ action: Action.ATTACH, channel: 'kept' });
  session.handle({ action: Action.ATTACH, channel: 'left' });
  session.handle({ action: Action.DETACH, channel: 'left' });
  tick(defaultLimits.idleChannelTtl - 1);
  hub.sweep();
  expect([...app.channels.keys()].sort()).toEqual(['kept', 'left']);
  tick(1);
  hub.sweep(); // no lookup came: the tick alone ages 'left' out
  expect([...app.channels.keys()]).toEqual(['kept']);
  metrics.stop();
});
