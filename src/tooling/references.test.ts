import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The repository documents itself: no tracked file may send its reader to documents outside it
 * (the team's private notes, their section numbers, task cards, checklists or issue numbers of
 * another tracker). Cite docs/, an Ably features-spec id (RTN15, TM2a…) or a public URL instead.
 * Relative Markdown links must land on a file inside the repository.
 *
 * This file names the forbidden forms, so it is not scanned itself.
 */
const root = resolve(__dirname, '../..');

const FORBIDDEN: ReadonlyArray<readonly [RegExp, string]> = [
  [/\.\.\/shared\b|\bshared\/docs\b/, 'a path into the notes outside the repository'],
  [/\b(measurement|style|ably-protocol|wasm-toolchain|anchor-numbers)\.md\b/, 'a notes file outside the repository'],
  [
    /(?<!(?:ed\.|RFC \d+) )\u00a7/,
    'a section number of an outside document (a book edition "ed. \u00a7" or an RFC is fine)',
  ],
  [/\btask\s+card\b/i, 'the task card'],
  [/\bchecklist\s+\d/i, 'a checklist item'],
  [/\bissue\s+\d/i, 'an issue number of another tracker'],
  [/\bpitfall\s+\d/i, 'a numbered pitfall of the notes'],
  [/\bproject(?:'s)?\s+notes\b/i, 'the project notes'],
];

/**
 * Temporarily exempt: files another change is rewriting right now. Remove an entry as soon as its
 * file is clean; the test below fails while an exempt file no longer needs the exemption.
 */
const EXEMPT: ReadonlyArray<RegExp> = [/^rust-wasm\/src\//, /^src\/sdk-adapters\/rust\.ts$/];
const SELF = 'src/tooling/references.test.ts';

function violations(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const [re, what] of FORBIDDEN) if (re.test(line)) out.push(`${i + 1}: ${what}: ${line.trim().slice(0, 120)}`);
  });
  return out;
}

/** Relative Markdown links (`[x](path#anchor)`) that do not resolve to a file inside the repository. */
function brokenLinks(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!;
    if (/^([a-z]+:|#|\/)/i.test(target)) continue; // URLs, in-page anchors, site-absolute paths
    const path = resolve(root, dirname(file), target.split('#')[0]!);
    const inside = !relative(root, path).startsWith('..');
    if (!inside || !existsSync(path)) out.push(`${file}: ${target}`);
  }
  return out;
}

const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter((f) => f && existsSync(resolve(root, f)));
const textOf = (f: string): string | undefined => {
  const buf = readFileSync(resolve(root, f));
  return buf.includes(0) ? undefined : buf.toString('utf8'); // binary (images, msgpack fixtures)
};

describe('references stay inside the repository', () => {
  it('the patterns catch what they are for', () => {
    // Built from parts, so this file does not itself carry the path it forbids.
    const outside = ['..', 'shared', 'docs'].join('/');
    const bad = [
      `see ${outside}/measurement.md`,
      'as in the style guide (style.md)',
      'pairing cancels drift (\u00a7C.8)',
      'the task card says',
      'checklist 12',
      '(issue 5)',
      'pitfall 1',
      "this project's notes",
    ];
    for (const line of bad) expect(violations(line), line).not.toEqual([]);
    const fine = [
      'Numerical Recipes 3rd ed. \u00a76.4',
      'base64 (RFC 4648 \u00a74)',
      'docs/method.md#verdicts',
      'RTN15c6',
      'https://github.com/microsoft/playwright/issues/22992',
    ];
    for (const line of fine) expect(violations(line), line).toEqual([]);
    expect(brokenLinks('docs/x.md', '[a](../README.md) [b](method.md#claims) [c](https://x.y) [d](#e)')).toEqual([]);
    expect(brokenLinks('README.md', `[a](${outside}/a.md) [b](docs/nope.md)`)).toHaveLength(2);
  });

  it('no tracked file cites documents outside the repository', () => {
    const found: string[] = [];
    for (const f of tracked) {
      if (f === SELF || EXEMPT.some((re) => re.test(f))) continue;
      const text = textOf(f);
      if (text !== undefined) for (const v of violations(text)) found.push(`${f}:${v}`);
    }
    expect(found).toEqual([]);
  });

  it('every relative Markdown link resolves inside the repository', () => {
    const found = tracked.filter((f) => f.endsWith('.md')).flatMap((f) => brokenLinks(f, textOf(f) ?? ''));
    expect(found).toEqual([]);
  });

  it('exemptions are still needed (remove an entry once its files are clean)', () => {
    for (const re of EXEMPT) {
      const dirty = tracked.filter((f) => re.test(f)).some((f) => violations(textOf(f) ?? '').length > 0);
      expect({ exemption: String(re), stillNeeded: dirty }).toEqual({ exemption: String(re), stillNeeded: true });
    }
  });
});
