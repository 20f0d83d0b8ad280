import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/**
 * `npm run docs:screenshots`: the README's screenshots, taken from the real page by
 * `readme.shots.ts` (not a test: `npm test` matches `*.spec.ts` only). Same preview server and
 * browser as the e2e tests.
 */
export default defineConfig({ ...base, testMatch: '**/*.shots.ts', reporter: 'list' });
