/// <reference lib="webworker" />
/**
 * A dedicated module worker running our Rust/wasm SDK and ably-js side by side against the local
 * server (same origin). Each scenario returns plain data for e2e/rust-sdk.spec.ts to assert on.
 */
import * as Comlink from 'comlink';
import * as Ably from 'ably';
import initRealtime, {
  RealtimeClient,
  heapBytes,
  heapPeakBytes,
  version,
  wasmMemoryBytes,
  type InboundMessage,
} from '../../rust-wasm/pkg/realtime/ably_realtime.js';
import initRest, { RestClient } from '../../rust-wasm/pkg/rest/ably_rest.js';

const ready = Promise.all([initRealtime(), initRest()]);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timeout waiting for ${what}`);
    await sleep(5);
  }
}

const host = () => ({ endpoint: location.hostname, port: Number(location.port), tls: false });
const rustOpts = (key: string, binary: boolean, extra: Record<string, unknown> = {}) => ({
  key,
  ...host(),
  useBinaryProtocol: binary,
  ...extra,
});
const ablyOpts = (key: string, binary: boolean, extra: Record<string, unknown> = {}): Ably.ClientOptions => ({
  key,
  ...host(),
  transports: ['web_socket'],
  disableConnectivityCheck: true,
  wsConnectivityCheckUrl: `ws://${location.host}/ws-up`,
  fallbackHosts: [],
  logLevel: 0,
  useBinaryProtocol: binary,
  ...extra,
});
const wrongKey = (key: string) => `${key.split(':')[0]}:wrong-secret`;

/** A payload as plain, comparable data. */
function describe(d: unknown): { type: string; value: unknown } {
  if (d instanceof Uint8Array) return { type: 'Uint8Array', value: Array.from(d) };
  if (d instanceof ArrayBuffer) return { type: 'ArrayBuffer', value: Array.from(new Uint8Array(d)) };
  return { type: d === null ? 'null' : typeof d, value: d };
}

interface ErrorSummary {
  isError: boolean;
  code: unknown;
  statusCode: unknown;
  message: string;
}
function errorOf(e: unknown): ErrorSummary {
  const x = e as { code?: unknown; statusCode?: unknown; message?: unknown } | undefined;
  return { isError: e instanceof Error, code: x?.code, statusCode: x?.statusCode, message: String(x?.message) };
}
async function rejection(p: Promise<unknown>): Promise<ErrorSummary | 'resolved'> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return errorOf(e);
  }
}

/** Runs a scenario with a list of things to close afterwards; errors come back as `{error}`. */
async function scenario<T>(body: (closers: (() => void)[]) => Promise<T>): Promise<T | { error: string }> {
  await ready;
  const closers: (() => void)[] = [];
  try {
    return await body(closers);
  } catch (e) {
    return { error: String((e as Error)?.stack ?? e) };
  } finally {
    for (const c of closers) {
      try {
        c();
      } catch {
        /* already closed */
      }
    }
  }
}

function rustClient(closers: (() => void)[], opts: Record<string, unknown>): RealtimeClient {
  const c = new RealtimeClient(opts);
  closers.push(() => {
    c.close();
    c.free();
  });
  return c;
}

function ablyClient(closers: (() => void)[], opts: Ably.ClientOptions): Ably.Realtime {
  const c = new Ably.Realtime(opts);
  closers.push(() => c.close());
  return c;
}

const msgSummary = (m: InboundMessage | Ably.InboundMessage) => ({
  name: m.name,
  clientId: m.clientId,
  data: describe(m.data),
  extras: m.extras,
});

const api = {
  async ping() {
    await ready;
    return version();
  },

  /** Connect, attach, publish/ACK, subscribe/receive (with a name filter), detach, close, free. */
  realtimeBasics(key: string, binary: boolean) {
    return scenario(async (closers) => {
      const isWorker =
        typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope && !('window' in globalThis);
      const c = rustClient(closers, rustOpts(key, binary, { clientId: 'rs-basic', autoConnect: false }));
      const states: string[] = [];
      c.on((change) => states.push(change.current));
      const initial = c.state;
      c.connect();
      await c.whenState('connected');
      const connectionId = c.connectionId;
      const rtt = await c.ping(); // RTN13: HEARTBEAT with an id, echoed by the server
      const ch = c.channel(`rs-basic-${binary}`);
      const got: InboundMessage[] = [];
      const onlyB: string[] = [];
      const all = (m: InboundMessage) => got.push(m);
      const attach = await ch.subscribe(all);
      await ch.subscribe('b', (m) => onlyB.push(String(m.name)));
      const ack = await ch.publish([
        { name: 's', data: 'hello' },
        { name: 'b', data: new Uint8Array([1, 2, 255]) },
        { name: 'o', data: { a: 1, nested: [true, null] } },
      ]);
      const ack2 = await ch.publish('b', new Uint8Array([7]).buffer);
      await waitFor(() => got.length === 4, 5000, 'four messages');
      ch.unsubscribe(all);
      await ch.publish('after-unsubscribe', 'x');
      await waitFor(() => onlyB.length === 2, 5000, 'two b messages');
      await sleep(50);
      const detached = await ch.detach();
      const memory = { wasm: wasmMemoryBytes(), heap: heapBytes(), peak: heapPeakBytes() };
      c.close();
      await c.whenState('closed');
      // A channel handle does not keep a freed client alive: it fails cleanly.
      const c2 = new RealtimeClient(rustOpts(key, binary, { autoConnect: false }));
      const orphan = c2.channel('orphan');
      const pingIdle = await rejection(c2.ping()); // not connected (RTN13b)
      c2.free();
      const afterFree = await rejection(orphan.publish('x', 'y'));
      return {
        isWorker,
        initial,
        states: [...states],
        clientId: c.clientId,
        connectionId: typeof connectionId,
        idAfterClose: c.connectionId,
        rtt,
        pingIdle,
        attach: attach && { previous: attach.previous, current: attach.current },
        ackSerials: ack.serials.length,
        ack2Serials: ack2.serials.length,
        received: got.map((m) => ({
          ...msgSummary(m),
          ownConnection: m.connectionId === connectionId,
          id: typeof m.id,
          timestamp: typeof m.timestamp,
        })),
        gotAfterUnsubscribe: got.length,
        onlyB,
        detached: detached?.current,
        channelState: ch.state,
        memory,
        afterFree,
      };
    });
  },

  /** REST: time, single and batch publish, history with pagination, ably-js reading it, errors. */
  rest(key: string, binary: boolean) {
    return scenario(async () => {
      const rest = new RestClient(rustOpts(key, binary));
      const name = `rs-rest-${binary}`;
      const timeSkew = Math.abs((await rest.time()) - Date.now());
      const rch = rest.channel(name);
      const single = await rch.publish('one', '1');
      const batch = await rch.publish([
        { name: 'two', data: '2' },
        { name: 'three', data: { n: 3 } },
      ]);
      const bin = await rch.publish({ name: 'four', data: new Uint8Array([4, 0, 4]) });
      const page1 = await rch.history({ limit: 3 });
      const page2 = await page1.next();
      const forwards = await rch.history({ direction: 'forwards' });
      const ids = forwards.items.map((m) => m.id);
      // Interop: ably-js reads what our REST client wrote.
      const js = new Ably.Rest(ablyOpts(key, binary));
      const jsHistory = await js.channels.get(name).history({ direction: 'forwards' });
      const restError = await rejection(new RestClient(rustOpts(wrongKey(key), binary)).channel('x').publish('a', 'b'));
      const badLimit = await rejection(rch.history({ limit: 5000 }));
      rest.free();
      return {
        timeSkew,
        serials: [single.serials.length, batch.serials.length, bin.serials.length],
        page1: page1.items.map((m) => m.name),
        page1HasNext: page1.hasNext(),
        page2: page2?.items.map((m) => m.name),
        page2HasNext: page2?.hasNext(),
        forwards: forwards.items.map((m) => ({ name: m.name, data: describe(m.data) })),
        idempotentIds: ids.every((id) => typeof id === 'string' && /^[A-Za-z0-9+/=_-]+:\d+$/.test(id)),
        batchIdsShareBase:
          ids[1]?.split(':')[0] === ids[2]?.split(':')[0] && ids[1]?.endsWith(':0') && ids[2]?.endsWith(':1'),
        jsHistory: jsHistory.items.map((m) => ({ name: m.name, data: describe(m.data) })),
        restError,
        badLimit,
      };
    });
  },

  /** NACK, bad data, wrong key: clear errors with the right code and statusCode. */
  errors(key: string, binary: boolean) {
    return scenario(async (closers) => {
      const c = rustClient(closers, rustOpts(key, binary, { clientId: 'alice' }));
      await c.whenState('connected');
      const ch = c.channel(`rs-errors-${binary}`);
      const nack = await rejection(ch.publish({ name: 'x', data: 'y', clientId: 'mallory' }));
      const okAfterNack = (await ch.publish('x', 'y')).serials.length;
      const badData = await rejection(ch.publish('n', 42 as unknown as string));
      const bad = rustClient(closers, rustOpts(wrongKey(key), binary));
      const wrongKeyWait = await rejection(bad.whenState('connected'));
      const badPublish = await rejection(bad.channel('x').publish('a', 'b'));
      let badOptions: ErrorSummary | 'constructed' = 'constructed';
      try {
        new RealtimeClient({ endpoint: 'x' });
      } catch (e) {
        badOptions = errorOf(e);
      }
      return {
        nack,
        okAfterNack,
        stateAfterNack: c.state,
        badData,
        wrongKeyWait,
        wrongKeyState: bad.state,
        wrongKeyReason: errorOf(bad.errorReason),
        badPublish,
        badOptions,
      };
    });
  },

  /**
   * A stream of 200 publishes with a forced drop at message 80, then: every publish ACKed and
   * the subscriber got 0..199 exactly once, in order.
   *  - 'lab-drop-subscriber': the server drops the subscriber's socket (lab hook);
   *  - 'disconnect-subscriber': the subscriber drops its own transport;
   *  - 'disconnect-publisher': the publisher drops its transport with publishes in flight.
   */
  resume(key: string, binary: boolean, how: 'lab-drop-subscriber' | 'disconnect-subscriber' | 'disconnect-publisher') {
    return scenario(async (closers) => {
      const sub = rustClient(closers, rustOpts(key, binary));
      const pub = rustClient(closers, rustOpts(key, binary, { clientId: 'rs-pub' }));
      await Promise.all([sub.whenState('connected'), pub.whenState('connected')]);
      const [subId, pubId] = [sub.connectionId, pub.connectionId];
      const subStates: string[] = [];
      const pubStates: string[] = [];
      sub.on((s) => subStates.push(s.current));
      pub.on((s) => pubStates.push(s.current));
      const name = `rs-resume-${how}-${binary}`;
      const sch = sub.channel(name);
      const channelChanges: { current: string; resumed: boolean }[] = [];
      sch.on((c) => channelChanges.push({ current: c.current, resumed: c.resumed }));
      const seen: number[] = [];
      await sch.subscribe((m) => seen.push(Number(m.data)));
      const pch = pub.channel(name);
      const acks: Promise<unknown>[] = [];
      let dropStatus = 0;
      let pendingAtDrop = 0;
      for (let i = 0; i < 200; i++) {
        acks.push(pch.publish('n', String(i)));
        if (i === 80) {
          if (how === 'disconnect-publisher') {
            // At once, with publishes sent but not yet ACKed: they must be re-sent on resume
            // with their msgSerials, and the server must not publish them twice.
            pendingAtDrop = pub.publishesPending;
            pub.disconnect();
            continue;
          }
          await waitFor(() => seen.length > 20, 5000, 'messages before the drop');
          if (how === 'lab-drop-subscriber') {
            const res = await fetch(`/lab/connections/drop?connectionId=${encodeURIComponent(subId ?? '')}`, {
              method: 'POST',
              headers: { authorization: `Basic ${btoa(key)}` },
            });
            dropStatus = res.status;
          } else {
            sub.disconnect();
          }
        }
      }
      const settled = await Promise.allSettled(acks);
      await waitFor(() => seen.length >= 200, 10000, `200 messages (got ${seen.length})`);
      await sleep(200);
      return {
        dropStatus,
        pendingAtDrop,
        ackFailures: settled
          .filter((s) => s.status === 'rejected')
          .map((s) => String((s as PromiseRejectedResult).reason)),
        subSameId: sub.connectionId === subId,
        pubSameId: pub.connectionId === pubId,
        subStates: [...subStates],
        pubStates: [...pubStates],
        channelChanges: [...channelChanges],
        count: seen.length,
        inOrderExactlyOnce: seen.length === 200 && seen.every((v, i) => v === i),
      };
    });
  },

  /**
   * Connection recovery (RTN16). Client A subscribes, publishes 3 messages itself (msgSerial 0-2)
   * and receives 20, writes its recovery key and vanishes without CLOSE (`free()`, as a page
   * unload would: the socket closes, the server keeps the connection). Meanwhile another client
   * publishes 20 more. Client B starts with `recover: key`, attaches and must get exactly those
   * 20 missed messages, then live ones, on A's connection id; B's own publishes must continue
   * A's msgSerial (the server ACKs lower serials as duplicates without publishing them).
   */
  recover(key: string, binary: boolean) {
    return scenario(async (closers) => {
      const name = `rs-recover-${binary}-${Math.random().toString(36).slice(2)}`;
      const pub = rustClient(closers, rustOpts(key, binary, { clientId: 'rs-pub' }));
      const a = new RealtimeClient(rustOpts(key, binary));
      await Promise.all([a.whenState('connected'), pub.whenState('connected')]);
      const idA = a.connectionId;
      const pch = pub.channel(name);
      const pubGotB: unknown[] = [];
      await pch.subscribe('b', (m) => pubGotB.push(m.data));
      const seenA: number[] = [];
      const ach = a.channel(name);
      await ach.subscribe('n', (m) => seenA.push(Number(m.data)));
      await Promise.all([0, 1, 2].map((i) => ach.publish('a', `a${i}`)));
      const publish = (from: number, n: number) =>
        Promise.all(Array.from({ length: n }, (_, i) => pch.publish('n', String(from + i))));
      await publish(0, 20);
      await waitFor(() => seenA.length === 20, 5000, `A's 20 messages (got ${seenA.length})`);
      const recoveryKey = a.createRecoveryKey();
      a.free(); // no CLOSE: the connection stays recoverable on the server
      await publish(20, 20); // missed by A

      const b = rustClient(closers, rustOpts(key, binary, { recover: recoveryKey, autoConnect: false }));
      const bStates: string[] = [];
      b.on((s) => bStates.push(s.current));
      b.connect();
      await b.whenState('connected');
      const bch = b.channel(name);
      const stateBeforeAttach = bch.state;
      const seenB: number[] = [];
      const attach = await bch.subscribe('n', (m) => seenB.push(Number(m.data)));
      await waitFor(() => seenB.length >= 20, 5000, `the 20 missed messages (got ${seenB.length})`);
      await publish(40, 10); // live
      await waitFor(() => seenB.length >= 30, 5000, `30 messages (got ${seenB.length})`);
      await Promise.all([0, 1, 2].map((i) => bch.publish('b', `b${i}`)));
      await waitFor(() => pubGotB.length >= 3, 5000, `B's 3 messages at the other client (got ${pubGotB.length})`);
      await sleep(100); // duplicates would arrive by now
      const parsed = JSON.parse(recoveryKey ?? 'null') as {
        connectionKey?: unknown;
        msgSerial?: unknown;
        channelSerials?: Record<string, unknown>;
      } | null;
      return {
        key: parsed && {
          connectionKey: typeof parsed.connectionKey,
          msgSerial: parsed.msgSerial,
          channels: Object.keys(parsed.channelSerials ?? {}).map((n) => n === name),
        },
        seenA: [...seenA],
        idA: typeof idA,
        sameId: b.connectionId === idA,
        errorReason: b.errorReason ? errorOf(b.errorReason) : null,
        bStates: [...bStates],
        stateBeforeAttach,
        attach: attach && { current: attach.current, resumed: attach.resumed },
        seenB: [...seenB],
        pubGotB: [...pubGotB],
      };
    });
  },

  /**
   * Recovery that cannot work: a key whose connection was closed (the server forgot it) gives a
   * new connection with error 80018 (an unrecoverable recovery key); an unreadable key is ignored (errorReason 40000); neither
   * stops the client from connecting and publishing.
   */
  recoverFailure(key: string, binary: boolean) {
    return scenario(async (closers) => {
      const name = `rs-recover-fail-${binary}`;
      const a = rustClient(closers, rustOpts(key, binary));
      await a.whenState('connected');
      const idA = a.connectionId;
      await a.channel(name).attach();
      await a.channel(name).publish('x', 'before');
      const recoveryKey = a.createRecoveryKey();
      a.close();
      await a.whenState('closed');
      const keyAfterClose = a.createRecoveryKey();

      const b = rustClient(closers, rustOpts(key, binary, { recover: recoveryKey }));
      await b.whenState('connected');
      const got: unknown[] = [];
      await b.channel(name).subscribe('y', (m) => got.push(m.data));
      await b.channel(name).publish('y', 'after'); // msgSerial restarted at 0 on the new connection
      await waitFor(() => got.length === 1, 5000, 'the echo of the publish');

      const bad = rustClient(closers, rustOpts(key, binary, { recover: '{"connectionKey": oops' }));
      const badReasonAtOnce = bad.errorReason ? errorOf(bad.errorReason) : null;
      await bad.whenState('connected');
      const badAck = await bad.channel(name).publish('z', 'fine');
      return {
        keyAfterClose,
        newId: typeof b.connectionId === 'string' && b.connectionId !== idA,
        failedReason: b.errorReason ? errorOf(b.errorReason) : null,
        got,
        badReasonAtOnce,
        badReason: bad.errorReason ? errorOf(bad.errorReason) : null,
        badState: bad.state,
        badAckSerials: badAck.serials.length,
      };
    });
  },

  /**
   * Listener semantics on one frame of three messages, in our SDK and in ably-js side by side:
   * a throwing listener does not stop the others; unnamed listeners run before named ones; a
   * listener removed while a message is delivered still gets that message but no later one
   * (ably-js EventEmitter snapshots the listeners per message). Then pipelined publishes, whose
   * ACKs may cover several at once, each resolve with their own serial.
   */
  listeners(key: string, binary: boolean) {
    return scenario(async (closers) => {
      const rs = rustClient(closers, rustOpts(key, binary));
      const js = ablyClient(closers, ablyOpts(key, binary));
      await Promise.all([rs.whenState('connected'), js.connection.whenState('connected')]);
      const name = `listeners-${binary}-${Math.random().toString(36).slice(2)}`;
      type Ch = { subscribe(...a: unknown[]): Promise<unknown>; unsubscribe(...a: unknown[]): void };
      async function register(ch: Ch, log: string[]) {
        const named = (m: { name?: string }) => log.push(`named:${m.name}`);
        const third = (m: { name?: string }) => log.push(`third:${m.name}`);
        const once = (m: { name?: string }) => {
          log.push(`once:${m.name}`);
          ch.unsubscribe(once);
        };
        await ch.subscribe('b', named);
        await ch.subscribe(() => {
          throw new Error('a listener that throws');
        });
        await ch.subscribe((m: { name?: string }) => {
          log.push(`second:${m.name}`);
          if (m.name === 'a') ch.unsubscribe(third);
          if (m.name === 'b') ch.unsubscribe('b', named);
        });
        await ch.subscribe(third);
        await ch.subscribe(once);
      }
      const rsLog: string[] = [];
      const jsLog: string[] = [];
      await register(rs.channel(name) as unknown as Ch, rsLog);
      await register(js.channels.get(name) as unknown as Ch, jsLog);
      await js.channels.get(name).publish([
        { name: 'a', data: '1' },
        { name: 'b', data: '2' },
        { name: 'c', data: '3' },
      ]);
      await waitFor(
        () => rsLog.includes('second:c') && jsLog.includes('second:c'),
        5000,
        'the third message on both sides',
      );
      const logs = { rsLog: [...rsLog], jsLog: [...jsLog] };
      const pipelined = await Promise.all(Array.from({ length: 20 }, (_, i) => rs.channel(name).publish(`p${i}`, 'x')));
      // Connection state listeners: the same rules (named after unnamed, a throwing one skipped).
      const states = { rs: [] as string[], js: [] as string[] };
      type Conn = { on(...a: unknown[]): void };
      for (const [conn, log] of [
        [rs, states.rs],
        [js.connection, states.js],
      ] as [Conn, string[]][]) {
        conn.on('closed', () => log.push('named:closed'));
        conn.on(() => {
          throw new Error('a state listener that throws');
        });
        conn.on((c: { current: string }) => log.push(`any:${c.current}`));
      }
      rs.close();
      js.close();
      await Promise.all([rs.whenState('closed'), js.connection.whenState('closed')]);
      return {
        ...logs,
        states,
        pipelinedSerials: pipelined.map((r) => r.serials.length),
        distinctSerials: new Set(pipelined.map((r) => r.serials[0])).size,
      };
    });
  },

  /**
   * Payload encodings (RSL6) as received over JSON (decoded in JS, rust-wasm/src/wasm/js/json_frames.js)
   * and over msgpack (decoded by the core): both clients must see the same data and encodings
   * left, including steps the SDK does not undo and payloads that do not fit their encoding.
   * The messages are published raw over REST, so their `encoding` is exactly as written here.
   */
  encodings(key: string) {
    return scenario(async (closers) => {
      const name = `encodings-${Math.random().toString(36).slice(2)}`;
      const viaJson = rustClient(closers, rustOpts(key, false));
      const viaMsgpack = rustClient(closers, rustOpts(key, true));
      const got: Record<'json' | 'msgpack', InboundMessage[]> = { json: [], msgpack: [] };
      await viaJson.channel(name).subscribe((m) => got.json.push(m));
      await viaMsgpack.channel(name).subscribe((m) => got.msgpack.push(m));
      const b64 = (s: string) => btoa(s);
      const messages = [
        { name: 'plain', data: 'x' },
        { name: 'json', data: '{"a":[1,"two"]}', encoding: 'json' },
        {
          name: 'utf8-b64',
          data: b64(String.fromCharCode(...new TextEncoder().encode('héllo'))),
          encoding: 'utf-8/base64',
        },
        { name: 'json-utf8-b64', data: b64('{"k":true}'), encoding: 'json/utf-8/base64' },
        { name: 'bin', data: b64('\x00\x01\xfe'), encoding: 'base64' },
        { name: 'cipher-left', data: b64('abc'), encoding: 'cipher+aes-128-cbc/base64' },
        { name: 'bad-json', data: '{', encoding: 'json' },
        { name: 'bad-utf8', data: b64('\xff\xfe'), encoding: 'utf-8/base64' },
        { name: 'extras', data: 'e', extras: { headers: { h: 'v' } } },
        { name: 'no-data' },
      ];
      const res = await fetch(`${location.origin}/channels/${name}/messages`, {
        method: 'POST',
        headers: { authorization: `Basic ${btoa(key)}`, 'content-type': 'application/json' },
        body: JSON.stringify(messages),
      });
      if (!res.ok) throw new Error(`REST publish: ${res.status} ${await res.text()}`);
      await waitFor(
        () => got.json.length === messages.length && got.msgpack.length === messages.length,
        5000,
        'every message on both clients',
      );
      const summary = (m: InboundMessage) => ({
        ...msgSummary(m),
        encoding: m.encoding,
        id: typeof m.id,
        connectionId: typeof m.connectionId,
        timestamp: typeof m.timestamp,
      });
      return { json: got.json.map(summary), msgpack: got.msgpack.map(summary) };
    });
  },

  /** Our SDK and ably-js on one channel, both ways, same protocol (JSON or msgpack) on both. */
  interop(key: string, binary: boolean) {
    return scenario(async (closers) => {
      const rs = rustClient(closers, rustOpts(key, binary, { clientId: 'rs-side' }));
      const js = ablyClient(closers, ablyOpts(key, binary, { clientId: 'js-side' }));
      await Promise.all([rs.whenState('connected'), js.connection.whenState('connected')]);
      const name = `interop-${binary}`;
      const rsGot: InboundMessage[] = [];
      const jsGot: Ably.InboundMessage[] = [];
      await rs.channel(name).subscribe((m) => rsGot.push(m));
      await js.channels.get(name).subscribe((m) => void jsGot.push(m));
      const rsAck = await rs.channel(name).publish([
        { name: 'rs-s', data: 'héllo ✓' },
        { name: 'rs-b', data: new Uint8Array([0, 1, 254, 255]) },
        { name: 'rs-j', data: { a: [1, 'two'], b: null } },
        { name: 'rs-x', data: 'with extras', extras: { headers: { k: 'v' } } },
      ]);
      await js.channels.get(name).publish([
        { name: 'js-s', data: 'wörld' },
        { name: 'js-b', data: new Uint8Array([9, 8, 7]).buffer },
        { name: 'js-j', data: { x: { y: 2 } } },
      ]);
      await waitFor(() => rsGot.length === 7 && jsGot.length === 7, 5000, 'seven messages on each side');
      // Deeply nested data and extras (frame depth 60; the decoders allow 64) decode within the
      // SDK's 256 KiB wasm stack (rust-wasm/.cargo/config.toml).
      let deep: unknown = 'bottom';
      for (let i = 0; i < 55; i++) deep = [deep];
      await js.channels
        .get(name)
        .publish({ name: 'deep', data: { d: deep }, extras: { headers: { k: 'v' }, deep: { d: deep } } });
      await waitFor(() => rsGot.length === 8, 5000, 'the deep message');
      const deepBack = rsGot[7]!;
      return {
        deepRoundTrip:
          JSON.stringify(deepBack.data) === JSON.stringify({ d: deep }) &&
          JSON.stringify((deepBack.extras as { deep: unknown }).deep) === JSON.stringify({ d: deep }),
        jsProtocolBinary:
          (js as unknown as { options: { useBinaryProtocol?: boolean } }).options.useBinaryProtocol === true,
        rsAckSerials: rsAck.serials.length,
        rsGot: rsGot.slice(0, 7).map(msgSummary),
        jsGot: jsGot.slice(0, 7).map(msgSummary),
      };
    });
  },
};

export type SdkTestApi = typeof api;
Comlink.expose(api);
