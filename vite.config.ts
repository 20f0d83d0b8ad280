/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import { labServe } from './src/ui/serve-plugin.ts';

/**
 * Cross-origin isolation for every response Vite serves (pages, worker scripts, wasm):
 * it gives `performance.now()` 5 µs steps instead of 100 µs and enables
 * `measureUserAgentSpecificMemory()`. A dedicated worker takes COEP from its own response
 * and fails to load without it, so the headers must reach worker chunks too.
 * `server.headers`/`preview.headers` cover most responses; the middleware below covers the rest
 * (Vite's own transforms, 304s), as suggested in vitejs/vite#3909.
 */
export const isolationHeaders: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function crossOriginIsolation(): Plugin {
  const setHeaders = (_req: unknown, res: { setHeader(k: string, v: string): void }, next: () => void) => {
    for (const [k, v] of Object.entries(isolationHeaders)) res.setHeader(k, v);
    next();
  };
  return {
    name: 'lab-cross-origin-isolation',
    configureServer(server) {
      server.middlewares.use(setHeaders);
    },
    configurePreviewServer(server) {
      server.middlewares.use(setHeaders);
    },
  };
}

export default defineConfig({
  // The page lives in src/ (the repository root holds no index.html).
  root: 'src',
  publicDir: '../public',
  // labServe: the local Ably server behind this origin (src/ui/serve-plugin.ts explains why).
  plugins: [crossOriginIsolation(), labServe()],
  server: { headers: isolationHeaders, port: 5173, strictPort: false },
  preview: { headers: isolationHeaders, port: 4173, strictPort: false },
  worker: { format: 'es' },
  // The dependency scan resolves entries against `root` (src/), where build's cwd-relative inputs
  // ("src/index.html") do not exist: without this it printed a stack trace on every `npm start`.
  optimizeDeps: { entries: ['index.html', 'dashboard.html', 'runner/runner.html'] },
  build: {
    target: 'es2022',
    sourcemap: true,
    outDir: '../dist',
    emptyOutDir: true,
    // The lab page, the history dashboard and the headless runner page (pages only tests open are
    // in the test build: e2e/vite.config.ts).
    rollupOptions: {
      input: {
        main: 'src/index.html',
        dashboard: 'src/dashboard.html',
        labRunner: 'src/runner/runner.html',
      },
    },
  },
  test: {
    include: ['**/*.test.ts', '../e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
