import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../src/cli/chromium';

/**
 * E2E against Debian's Chromium (never a downloaded browser). The app is built and served by
 * `vite preview` on a free port; see e2e/global-setup.ts.
 */
const port = Number(process.env.LAB_PREVIEW_PORT ?? 4179);

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  workers: 1,
  reporter: [['list'], ['html', { outputFolder: '../playwright-report', open: 'never' }]],
  outputDir: '../test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromiumLaunchOptions(),
  },
  webServer: {
    command: `npx vite preview --port ${port} --strictPort --host 127.0.0.1`,
    cwd: '..',
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
