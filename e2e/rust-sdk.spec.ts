import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { startServer, type ServerHandle } from '../src/server/index.ts';
import type { SdkTestApi } from './test-pages/rust-sdk.worker.ts';

/**
 * Our Rust SDK compiled to wasm, running in a Chromium *dedicated module worker* against the
 * local server, which also serves the built test page (the test build dist-e2e/, one origin,
 * COOP/COEP), next to a real ably-js client in the same worker. Build first:
 * `npm run build:wasm && npm run build:e2e`. The scenarios live in e2e/test-pages/rust-sdk.worker.ts;
 * this file asserts on what they return.
 */

const dist = fileURLToPath(new URL('../dist-e2e', import.meta.url));
let server: ServerHandle;

test.beforeAll(async () => {
  if (!existsSync(`${dist}/e2e/test-pages/rust-sdk.html`))
    throw new Error('dist-e2e/e2e/test-pages/rust-sdk.html missing: run `npm run build:wasm && npm run build:e2e`');
  server = await startServer({ port: 0, staticDir: dist });
});
test.afterAll(async () => {
  await server?.close();
});

type Api = SdkTestApi;
type Result<K extends keyof Api> = Exclude<Awaited<ReturnType<Api[K]>>, { error: string }>;

async function open(page: Page): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/e2e/test-pages/rust-sdk.html`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', /ok|error/, { timeout: 20_000 });
  expect(await page.locator('body').getAttribute('data-error')).toBeNull();
  expect(errors).toEqual([]);
}

/** Calls a worker scenario through the page; fails the test with the worker's own stack. */
async function run<K extends keyof Api>(page: Page, name: K, ...args: Parameters<Api[K]>): Promise<Result<K>> {
  const out = (await page.evaluate(
    ([n, a]) => {
      const api = (globalThis as unknown as { sdkTest: Record<string, (...x: unknown[]) => Promise<unknown>> }).sdkTest;
      return api[n as string]!(...(a as unknown[]));
    },
    [name, args] as const,
  )) as Result<K> | { error: string };
  if (out && typeof out === 'object' && 'error' in out)
    throw new Error(`worker scenario ${String(name)} failed:\n${out.error}`);
  return out as Result<K>;
}

test('payload encodings decode alike over JSON (in JS) and msgpack (in the core)', async ({ page }) => {
  await open(page);
  const r = await run(page, 'encodings', server.key);
  expect(r.json).toEqual(r.msgpack);
  const by = Object.fromEntries(r.json.map((m) => [m.name, m]));
  expect(by.plain?.data).toEqual({ type: 'string', value: 'x' });
  expect(by.json?.data).toEqual({ type: 'object', value: { a: [1, 'two'] } });
  expect(by['utf8-b64']?.data).toEqual({ type: 'string', value: 'héllo' });
  expect(by['json-utf8-b64']?.data).toEqual({ type: 'object', value: { k: true } });
  expect(by.bin?.data).toEqual({ type: 'Uint8Array', value: [0, 1, 254] });
  // RSL6b: a step the SDK does not undo stays in `encoding`, the payload as far as decoded.
  expect(by['cipher-left']).toMatchObject({
    data: { type: 'Uint8Array', value: [97, 98, 99] },
    encoding: 'cipher+aes-128-cbc',
  });
  // A payload that does not fit its step: kept, with the steps left.
  expect(by['bad-json']).toMatchObject({ data: { type: 'string', value: '{' }, encoding: 'json' });
  expect(by['bad-utf8']).toMatchObject({ data: { type: 'Uint8Array', value: [255, 254] }, encoding: 'utf-8' });
  expect(by.extras?.extras).toEqual({ headers: { h: 'v' } });
  expect(by['no-data']?.data).toEqual({ type: 'undefined', value: undefined });
  // TM2a/TM2f: filled from the frame (a REST publish has no connectionId).
  expect(r.json.map((m) => [m.id, m.timestamp])).toEqual(r.json.map(() => ['string', 'number']));
});

for (const binary of [true, false]) {
  const proto = binary ? 'msgpack' : 'JSON';

  test.describe(`Rust SDK in a dedicated worker (${proto})`, () => {
    test.beforeEach(async ({ page }) => open(page));

    test(`connect, attach, publish→ACK, subscribe with name filter, detach, close, free (${proto})`, async ({
      page,
    }) => {
      const r = await run(page, 'realtimeBasics', server.key, binary);
      expect(r.isWorker).toBe(true);
      expect(r.initial).toBe('initialized');
      expect(r.states).toEqual(['connecting', 'connected', 'closing', 'closed']);
      expect(r.clientId).toBe('rs-basic');
      expect(r.connectionId).toBe('string');
      expect(r.idAfterClose).toBeUndefined(); // closed forgets the connection (RTN8c)
      // ping(): the round trip of a HEARTBEAT with an id (RTN13); refused when not connected.
      expect(typeof r.rtt).toBe('number');
      expect(r.rtt).toBeGreaterThanOrEqual(0);
      expect(r.rtt).toBeLessThan(5000);
      expect(r.pingIdle).toMatchObject({ isError: true, code: 40000, statusCode: 400 });
      expect(r.attach).toEqual({ previous: 'attaching', current: 'attached' });
      expect(r.ackSerials).toBe(3);
      expect(r.ack2Serials).toBe(1);
      const base = { clientId: 'rs-basic', ownConnection: true, id: 'string', timestamp: 'number', extras: undefined };
      expect(r.received).toEqual([
        { ...base, name: 's', data: { type: 'string', value: 'hello' } },
        { ...base, name: 'b', data: { type: 'Uint8Array', value: [1, 2, 255] } },
        { ...base, name: 'o', data: { type: 'object', value: { a: 1, nested: [true, null] } } },
        { ...base, name: 'b', data: { type: 'Uint8Array', value: [7] } },
      ]);
      expect(r.gotAfterUnsubscribe).toBe(4); // unsubscribe(callback) stopped deliveries
      expect(r.onlyB).toEqual(['b', 'b']); // subscribe('b', …) saw only 'b'
      expect(r.detached).toBe('detached');
      expect(r.channelState).toBe('detached');
      // Memory introspection: linear memory (a high-water mark) holds the live heap.
      expect(r.memory.wasm).toBeGreaterThanOrEqual(64 * 1024);
      expect(r.memory.wasm % 65536).toBe(0);
      expect(r.memory.heap).toBeGreaterThan(0);
      expect(r.memory.heap).toBeLessThan(r.memory.wasm);
      expect(r.memory.peak).toBeGreaterThanOrEqual(r.memory.heap);
      expect(r.afterFree).toMatchObject({ isError: true, code: 80017, statusCode: 400 });
    });

    test(`REST: time, single and batch publish, history pages, read by ably-js, errors (${proto})`, async ({
      page,
    }) => {
      const r = await run(page, 'rest', server.key, binary);
      expect(r.timeSkew).toBeLessThan(2000);
      expect(r.serials).toEqual([1, 2, 1]);
      expect(r.page1).toEqual(['four', 'three', 'two']);
      expect(r.page1HasNext).toBe(true);
      expect(r.page2).toEqual(['one']);
      expect(r.page2HasNext).toBe(false);
      const expected = [
        { name: 'one', data: { type: 'string', value: '1' } },
        { name: 'two', data: { type: 'string', value: '2' } },
        { name: 'three', data: { type: 'object', value: { n: 3 } } },
        { name: 'four', data: { type: 'Uint8Array', value: [4, 0, 4] } },
      ];
      expect(r.forwards).toEqual(expected);
      expect(r.idempotentIds).toBe(true);
      expect(r.batchIdsShareBase).toBe(true);
      // ably-js decodes what we wrote the same way (it gives ArrayBuffer for binary in browsers).
      expect(r.jsHistory).toEqual(
        expected.map((m) => (m.name === 'four' ? { ...m, data: { type: 'ArrayBuffer', value: [4, 0, 4] } } : m)),
      );
      expect(r.restError).toMatchObject({ isError: true, code: 40101, statusCode: 401 });
      expect(r.badLimit).toMatchObject({ isError: true, code: 40003, statusCode: 400 });
    });

    test(`errors: NACK, unsupported data, wrong key carry code and statusCode (${proto})`, async ({ page }) => {
      const r = await run(page, 'errors', server.key, binary);
      expect(r.nack).toMatchObject({ isError: true, code: 40012, statusCode: 400 });
      expect(r.okAfterNack).toBe(1);
      expect(r.stateAfterNack).toBe('connected');
      expect(r.badData).toMatchObject({ isError: true, code: 40013, statusCode: 400 });
      expect(r.wrongKeyWait).toMatchObject({ isError: true, code: 40101, statusCode: 401 });
      expect(r.wrongKeyState).toBe('failed');
      expect(r.wrongKeyReason).toMatchObject({ code: 40101, statusCode: 401 });
      expect(r.badPublish).toMatchObject({ isError: true, code: 80000 });
      expect(r.badOptions).toMatchObject({ isError: true, code: 40106 });
    });

    for (const how of ['lab-drop-subscriber', 'disconnect-subscriber', 'disconnect-publisher'] as const) {
      test(`forced drop (${how}) → resumed, nothing lost or duplicated (${proto})`, async ({ page }) => {
        const r = await run(page, 'resume', server.key, binary, how);
        if (how === 'lab-drop-subscriber') expect(r.dropStatus).toBe(200);
        if (how === 'disconnect-publisher') expect(r.pendingAtDrop).toBeGreaterThan(0); // in flight when dropped
        expect(r.ackFailures).toEqual([]);
        expect(r.count).toBe(200);
        expect(r.inOrderExactlyOnce).toBe(true);
        expect(r.subSameId).toBe(true);
        expect(r.pubSameId).toBe(true);
        const dropped = how === 'disconnect-publisher' ? r.pubStates : r.subStates;
        const other = how === 'disconnect-publisher' ? r.subStates : r.pubStates;
        expect(dropped).toEqual(['disconnected', 'connecting', 'connected']);
        expect(other).toEqual([]);
        if (how !== 'disconnect-publisher') {
          // The re-attach after the resume says RESUMED: continuity kept (RTL4j, RTN15c6).
          expect(r.channelChanges.at(-1)).toEqual({ current: 'attached', resumed: true });
        }
      });
    }

    test(`recover (RTN16): a new client resumes a vanished one's connection, nothing lost or duplicated (${proto})`, async ({
      page,
    }) => {
      const r = await run(page, 'recover', server.key, binary);
      const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
      expect(r.key).toEqual({ connectionKey: 'string', msgSerial: 3, channels: [true] });
      expect(r.seenA).toEqual(range(0, 20));
      expect(r.idA).toBe('string');
      expect(r.sameId).toBe(true); // the server kept the connection
      expect(r.errorReason).toBeNull();
      expect(r.bStates).toEqual(['connecting', 'connected']);
      expect(r.stateBeforeAttach).toBe('initialized'); // recovery pre-sets serials; the user attaches
      expect(r.attach).toEqual({ current: 'attached', resumed: true });
      expect(r.seenB).toEqual(range(20, 30)); // the 20 missed, then 10 live: once each, in order
      expect(r.pubGotB).toEqual(['b0', 'b1', 'b2']); // msgSerial continued from the key
    });

    test(`recover (RTN16) with a forgotten or unreadable key: a new connection with the reason (${proto})`, async ({
      page,
    }) => {
      const r = await run(page, 'recoverFailure', server.key, binary);
      expect(r.keyAfterClose).toBeNull(); // RTN16g2
      expect(r.newId).toBe(true);
      expect(r.failedReason).toMatchObject({ code: 80018, statusCode: 400 });
      expect(r.got).toEqual(['after']);
      expect(r.badReasonAtOnce).toMatchObject({ code: 40000, statusCode: 400 });
      expect(r.badReasonAtOnce?.message).toContain('Invalid recovery key');
      expect(r.badReason).toMatchObject({ code: 40000 });
      expect(r.badState).toBe('connected');
      expect(r.badAckSerials).toBe(1);
    });

    test(`listeners as in ably-js: a throwing one, removal during dispatch; pipelined ACKs (${proto})`, async ({
      page,
    }) => {
      const r = await run(page, 'listeners', server.key, binary);
      const expected = ['second:a', 'third:a', 'once:a', 'second:b', 'named:b', 'second:c'];
      expect(r.jsLog).toEqual(expected); // what ably-js does
      expect(r.rsLog).toEqual(expected);
      expect(r.states.js).toEqual(['any:closing', 'any:closed', 'named:closed']);
      expect(r.states.rs).toEqual(r.states.js);
      expect(r.pipelinedSerials).toEqual(Array(20).fill(1));
      expect(r.distinctSerials).toBe(20);
    });

    test(`interoperates both ways with ably-js on one channel (${proto})`, async ({ page }) => {
      const r = await run(page, 'interop', server.key, binary);
      expect(r.jsProtocolBinary).toBe(binary);
      expect(r.rsAckSerials).toBe(4);
      expect(r.deepRoundTrip).toBe(true);
      type Expected = { name: string; clientId: string; data: { type: string; value: unknown }; extras?: unknown };
      const fromRs: Expected[] = [
        { name: 'rs-s', clientId: 'rs-side', data: { type: 'string', value: 'héllo ✓' } },
        { name: 'rs-b', clientId: 'rs-side', data: { type: 'Uint8Array', value: [0, 1, 254, 255] } },
        { name: 'rs-j', clientId: 'rs-side', data: { type: 'object', value: { a: [1, 'two'], b: null } } },
        {
          name: 'rs-x',
          clientId: 'rs-side',
          data: { type: 'string', value: 'with extras' },
          extras: { headers: { k: 'v' } },
        },
      ];
      const fromJs: Expected[] = [
        { name: 'js-s', clientId: 'js-side', data: { type: 'string', value: 'wörld' } },
        { name: 'js-b', clientId: 'js-side', data: { type: 'Uint8Array', value: [9, 8, 7] } },
        { name: 'js-j', clientId: 'js-side', data: { type: 'object', value: { x: { y: 2 } } } },
      ];
      const norm = (ms: Expected[]) => ms.map((m) => ({ ...m, extras: m.extras }));
      // Our SDK receives ably-js's messages (and its own) decoded.
      expect(r.rsGot).toEqual(norm([...fromRs, ...fromJs]));
      // ably-js receives ours decoded; binary comes as ArrayBuffer there.
      const asJs = (m: Expected): Expected =>
        m.data.type === 'Uint8Array' ? { ...m, data: { type: 'ArrayBuffer', value: m.data.value } } : m;
      expect(r.jsGot).toEqual(norm([...fromRs, ...fromJs].map(asJs)));
    });
  });
}
