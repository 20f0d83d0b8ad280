/**
 * A first, rough publish→ACK comparison: our Rust/wasm SDK vs ably-js, both in the same dedicated
 * worker (src/test-pages/rust-sdk.worker.ts), against the local server, interleaved ABBA in one run.
 * Not a test and not the lab: no auto-sampling or verdicts, just paired medians.
 *
 *   npm run build:wasm && npx vite build && npx tsx src/test-pages/bench-publish.ts [rounds] [n]
 *
 * Timing runs in a page Playwright does not instrument (Target.createBrowserContext +
 * createTarget, talked to over a non-flattened CDP session): Playwright's per-worker Network
 * tracking would slow every frame and compress the difference 
 * (docs/method.md#the-driver-must-not-distort-what-it-times).
 */
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../../e2e/chromium.ts';
import { evaluate, TargetSession } from '../cli/cdp.ts';
import { startServer } from '../server/index.ts';

const rounds = Number(process.argv[2] ?? 10);
const n = Number(process.argv[3] ?? 200);
const payloadBytes = 100;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const median = (xs: number[]) => quantile(xs, 0.5);
const fmt = (x: number) => x.toFixed(3);

const dist = fileURLToPath(new URL('../../dist', import.meta.url));
const server = await startServer({ port: 0, staticDir: dist });
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  const cdp = await browser.newBrowserCDPSession();
  const { browserContextId } = (await cdp.send('Target.createBrowserContext', {})) as { browserContextId: string };
  const { targetId } = (await cdp.send('Target.createTarget', { url: `${server.url}/test-pages/rust-sdk.html`, browserContextId })) as { targetId: string };
  const page = await TargetSession.attach(cdp, targetId);
  let ready = '';
  for (let tries = 0; !ready; tries++) {
    try {
      // The page may not have an execution context yet right after createTarget.
      ready = await evaluate<string>(
        page,
        `new Promise((r) => { const t = setInterval(() => { const s = document.body && document.body.dataset.ready; if (s) { clearInterval(t); r(s); } }, 20); })`,
      );
    } catch (e) {
      if (tries > 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (ready !== 'ok') throw new Error(`test page not ready: ${ready}`);
  const call = <T>(expr: string) => evaluate<T>(page, `globalThis.sdkTest.${expr}`);

  console.log(`publish→ACK, ${n} sequential publishes of ${payloadBytes} B per run, ${rounds} ABBA rounds per protocol, one worker, same server`);
  for (const binary of [true, false]) {
    const setup = await call<{ rustVersion: string; ablyVersion: string }>(`benchSetup(${JSON.stringify(server.key)}, ${binary})`);
    // Warm-up: JIT, wasm tier-up, connection buffers.
    for (const sdk of ['rust', 'ably-js']) await call(`benchRun('${sdk}', 200, ${payloadBytes})`);
    const all: Record<string, number[]> = { rust: [], 'ably-js': [] };
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const pair: Record<string, number[]> = { rust: [], 'ably-js': [] };
      const order = r % 2 === 0 ? ['rust', 'ably-js', 'ably-js', 'rust'] : ['ably-js', 'rust', 'rust', 'ably-js'];
      for (const sdk of order) {
        const times = await call<number[]>(`benchRun('${sdk}', ${n}, ${payloadBytes})`);
        pair[sdk]!.push(...times);
        all[sdk]!.push(...times);
      }
      ratios.push(median(pair.rust!) / median(pair['ably-js']!));
    }
    const mem = await call<{ wasm: number; heap: number; peak: number }>('benchMemory()');
    await call('benchTeardown()');
    console.log(`\n${binary ? 'msgpack' : 'JSON'} (rust-wasm ${setup.rustVersion}, ably-js ${setup.ablyVersion})`);
    for (const sdk of ['rust', 'ably-js']) {
      const t = all[sdk]!;
      const mean = t.reduce((a, b) => a + b, 0) / t.length;
      console.log(`  ${sdk.padEnd(8)} p50 ${fmt(median(t))} ms  p90 ${fmt(quantile(t, 0.9))} ms  mean ${fmt(mean)} ms  (${t.length} publishes)`);
    }
    const rs = [...ratios].sort((a, b) => a - b);
    console.log(`  rust/ably-js per-round median ratio: median ${fmt(median(rs))}, range ${fmt(rs[0]!)}..${fmt(rs.at(-1)!)}`);
    console.log(`  wasm linear memory ${mem.wasm} B, live Rust heap ${mem.heap} B (peak ${mem.peak} B)`);
  }
  await page.detach();
} finally {
  await browser.close();
  await server.close();
}
