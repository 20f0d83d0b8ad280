import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README's layout section matches the tree: every folder it names exists, and every tracked
 * top-level folder, and every folder directly under src/ and e2e/, is named there.
 */
const root = resolve(__dirname, '../..');

/** Folders of the README's layout block: `src/`, and indented below it `src/ui/`… */
function layoutFolders(): string[] {
  const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
  const block = /## Layout\n+```\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no layout block under "## Layout"');
  const out: string[] = [];
  let parent = '';
  for (const line of block.split('\n')) {
    const m = /^( *)(\S+\/)(?:\s|$)/.exec(line);
    if (!m) continue;
    if (m[1] === '') parent = m[2]!;
    out.push(m[1] === '' ? m[2]! : `${parent}${m[2]}`);
  }
  return out;
}

describe("the README's layout", () => {
  const listed = layoutFolders();
  const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  const folders = new Set(
    tracked.flatMap((f) =>
      f
        .split('/')
        .slice(0, -1)
        .map((_, i, parts) => `${parts.slice(0, i + 1).join('/')}/`),
    ),
  );

  it('names only folders that exist', () => {
    expect(listed.length).toBeGreaterThan(10);
    expect(listed.filter((f) => !existsSync(resolve(root, f)))).toEqual([]);
  });

  it('names every top-level folder and every folder directly under src/ and e2e/', () => {
    const wanted = [...folders].filter((f) => {
      const depth = f.split('/').length - 1;
      return depth === 1 || (depth === 2 && /^(src|e2e)\//.test(f));
    });
    // .ci/ holds one file, listed as `.ci/run`.
    expect(wanted.filter((f) => f !== '.ci/' && !listed.includes(f))).toEqual([]);
  });
});
