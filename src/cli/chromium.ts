import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

/** Debian's Chromium (apt package `chromium`); override with LAB_CHROMIUM. */
export const chromiumPath = process.env.LAB_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags for a headless Chromium on a machine without internet: without the background-networking
 * flags the closed network floods it with refused connections. ForceEagerMeasureMemory makes
 * `measureUserAgentSpecificMemory()` answer in ~20 ms instead of 14–18 s (docs/method.md#memory).
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
  '--enable-blink-features=ForceEagerMeasureMemory',
];

export function chromiumLaunchOptions(): LaunchOptions {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: run 'npm run setup' (installs Debian's chromium) or set LAB_CHROMIUM`,
    );
  }
  return { executablePath: chromiumPath, headless: true, args: chromiumArgs };
}
