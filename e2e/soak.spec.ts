import { expect, test } from '@playwright/test';
import { runHeadless } from '../src/cli/headless.ts';
import { validateResults } from '../src/lab/results.ts';
import { startServer, type ServerHandle } from '../src/server/index.ts';

/**
 * Soak: the stream scenarios for many rounds against ONE server, as a full `npm run lab` runs
 * them, checking integrity only (no timing). Long runs found what short tests could not: after
 * ~40 rounds the server's history budget forgot a channel a subscriber had just attached to, and
 * a whole round of messages went nowhere. The budget here is small, so the server forgets idle
 * channels all the time; messages per round are few, so 80 rounds fit in a few minutes.
 */
const ROUNDS = 80;
const SCENARIOS = ['publish-throughput', 'subscribe-throughput', 'subscribe-throughput-batch10', 'recovery'];

let server: ServerHandle;
test.beforeAll(async () => {
  server = await startServer({
    port: 0,
    staticDir: process.env.LAB_DIST ?? 'dist',
    limits: { maxHistoryPerApp: 5000 },
  });
});
test.afterAll(async () => {
  await server.close();
});

test(`stream scenarios stay intact for ${ROUNDS} rounds: rust, js, raw; JSON and msgpack; one server`, async () => {
  test.setTimeout(900_000);
  const r = await runHeadless({
    pageOrigin: server.url,
    config: {
      endpoint: { kind: 'local', host: '127.0.0.1', port: server.port, tls: false },
      key: server.key,
      arms: ['rust', 'js', 'raw'],
      protocols: ['json', 'msgpack'],
      scenarios: SCENARIOS,
      quick: true,
      budgetS: 3600, // rounds, not the clock, end each scenario
      ops: 200,
      rounds: { warmup: 0, min: ROUNDS, max: ROUNDS },
    },
  });
  const v = validateResults(JSON.parse(JSON.stringify(r)));
  expect(v.ok ? [] : v.errors).toEqual([]);
  const summary = r.scenarios.map(
    (s) => `${s.id} [${s.protocol}]: ${s.status}, ${s.rounds} rounds${s.reason ? ` (${s.reason})` : ''}`,
  );
  expect(summary).toEqual(r.scenarios.map((s) => `${s.id} [${s.protocol}]: ok, ${ROUNDS} rounds`));
  for (const s of r.scenarios)
    for (const a of s.arms)
      expect(a.integrity, `${s.id} [${s.protocol}] ${a.arm}`).toMatchObject({
        lost: 0,
        duplicated: 0,
        reordered: 0,
        ok: true,
      });
});
