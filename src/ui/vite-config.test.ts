import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../vite.config';

/**
 * `npm start` printed "Failed to run dependency scan … failed to resolve … src/index.html":
 * Vite's dev-server scan resolves entries against `root`, the build's inputs against the cwd.
 */
describe('vite config', () => {
  const root = resolve(__dirname, '../..', config.root ?? '.');
  it('gives the dependency scan entries that exist under root, one per page the build has', () => {
    const entries = config.optimizeDeps?.entries as string[];
    expect(entries.map((e) => existsSync(resolve(root, e)))).toEqual(entries.map(() => true));
    const inputs = Object.values(config.build?.rollupOptions?.input as Record<string, string>);
    expect(entries.map((e) => `src/${e}`).sort()).toEqual([...inputs].sort());
  });
});
