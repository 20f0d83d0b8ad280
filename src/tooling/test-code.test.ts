import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import production from '../../vite.config';

/**
 * Test scaffolding stays out of the product: the production build has no page that only tests
 * open (those are built by e2e/vite.config.ts into dist-e2e/), and no production source imports
 * from e2e/ (the test harness wraps production code, never the other way round).
 */
const root = resolve(__dirname, '../..');

describe('test code out of production', () => {
  it('the production build (dist/) has only pages under src/', () => {
    const inputs = Object.values(production.build?.rollupOptions?.input as Record<string, string>);
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.filter((p) => !p.startsWith('src/'))).toEqual([]);
  });

  it('no production source imports from e2e/', () => {
    const sources = execFileSync('git', ['ls-files', 'src/*.ts', 'src/**/*.ts'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && !f.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(50);
    const offenders = sources.filter((f) =>
      /(?:from|import)\s*\(?\s*['"][./]*\/?e2e\//.test(readFileSync(resolve(root, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
