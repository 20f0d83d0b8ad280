import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import production from '../vite.config.ts';

/**
 * The TEST build (`npm run build:e2e` → dist-e2e/): the production build plus the pages only tests
 * open, which dist/ never contains — the lab's test harness (e2e/harness/: slowed and faulty arms
 * for `npm run lab -- --test-…`) and the Rust SDK's e2e page (e2e/test-pages/).
 *
 * Vite names a page by its path under `root`, and these pages live outside src/ (the production
 * root), so here the root is the repository, and `atProductionPaths` moves the production pages
 * back to where dist/ has them (`src/index.html` → `index.html`): dist-e2e/ is dist/ plus `e2e/…`.
 */
const repo = fileURLToPath(new URL('..', import.meta.url));

function atProductionPaths(): Plugin {
  return {
    name: 'lab-e2e-production-pages-at-their-paths',
    enforce: 'post',
    generateBundle(_, bundle) {
      for (const [key, file] of Object.entries(bundle)) {
        if (file.type !== 'asset' || !/^src\/.*\.html$/.test(file.fileName)) continue;
        delete bundle[key];
        this.emitFile({ type: 'asset', fileName: file.fileName.slice('src/'.length), source: file.source });
      }
    },
  };
}

const inputs = production.build?.rollupOptions?.input as Record<string, string>;

export default defineConfig({
  ...production,
  root: repo,
  publicDir: 'public',
  plugins: [...(production.plugins ?? []), atProductionPaths()],
  build: {
    ...production.build,
    outDir: 'dist-e2e',
    rollupOptions: {
      input: {
        ...inputs,
        labHarness: 'e2e/harness/runner.html',
        rustSdk: 'e2e/test-pages/rust-sdk.html',
      },
    },
  },
});
