import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * No tracked TypeScript/JavaScript line is longer than 160 characters. Biome formats at 120
 * columns but leaves string literals, template literals, test names and comments whole; those
 * are split by hand (adjacent literals joined with `+`, wrapped comments), and this keeps it so.
 */
const root = resolve(__dirname, '../..');
const MAX = 160;

describe('line length', () => {
  it(`no tracked .ts/.js/.mjs line is longer than ${MAX} characters`, () => {
    const files = execFileSync('git', ['ls-files', '*.ts', '*.js', '*.mjs'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.flatMap((f) =>
      readFileSync(resolve(root, f), 'utf8')
        .split('\n')
        .flatMap((line, i) => {
          const n = [...line].length;
          return n > MAX ? [`${f}:${i + 1}: ${n} characters`] : [];
        }),
    );
    expect(offenders).toEqual([]);
  });
});
