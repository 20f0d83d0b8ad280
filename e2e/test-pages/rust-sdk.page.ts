import * as Comlink from 'comlink';
import type { SdkTestApi } from './rust-sdk.worker';

/**
 * Starts the test worker and exposes its API as `window.sdkTest` (Playwright calls it with
 * `page.evaluate`). `data-ready` on <body> says when the worker answered.
 */
const worker = new Worker(new URL('./rust-sdk.worker.ts', import.meta.url), { type: 'module', name: 'rust-sdk-test' });
const api = Comlink.wrap<SdkTestApi>(worker);
(globalThis as unknown as { sdkTest: typeof api }).sdkTest = api;
worker.addEventListener('error', (e) => {
  document.body.dataset.ready = 'error';
  document.body.dataset.error = e.message || 'worker failed to load (missing COEP header?)';
});
api.ping().then(
  () => (document.body.dataset.ready = 'ok'),
  (e: unknown) => {
    document.body.dataset.ready = 'error';
    document.body.dataset.error = String(e);
  },
);
