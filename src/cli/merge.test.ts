import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthRun } from '../gate/synthetic';
import { decodePermalink } from '../lab/permalink';
import type { LabResultsV1 } from '../lab/results';
import { mergeCli } from './merge';

const run = (engine: 'chromium' | 'firefox', seed: number): LabResultsV1 => {
  const r = synthRun([{ id: 'connect', truth: { rust: 1, js: 2 } }], { seed });
  r.environment.browser = engine === 'chromium' ? 'Chromium 156.0.1' : 'Firefox 153.8.0';
  r.environment.engine = {
    name: engine,
    version: engine === 'chromium' ? '156.0.1' : '153.8.0',
    protocol: engine === 'chromium' ? 'cdp' : 'bidi',
    remote: false,
  };
  return r;
};

function inputs(): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'lab-merge-'));
  const files = [join(dir, 'chromium.json'), join(dir, 'firefox.json')];
  writeFileSync(files[0]!, JSON.stringify(run('chromium', 1)));
  writeFileSync(files[1]!, JSON.stringify(run('firefox', 2)));
  return { dir, files };
}

describe('npm run lab:merge', () => {
  it('writes a Markdown summary naming each engine, with rust/js side by side and one link to both runs', async () => {
    const { dir, files } = inputs();
    const out = join(dir, 'merged.json');
    const md = join(dir, 'merged.md');
    const r = await mergeCli([...files, '--out', out, '--summary', md, '--permalink-base', 'https://lab.example/x/']);
    expect(r.code).toBe(0);
    const text = readFileSync(md, 'utf8');
    expect(text.split('\n')[0]).toBe('## Ably SDK Lab — 2 runs: Chromium 156 (CDP), Firefox 153.8 (BiDi)');
    expect(text).toContain('| scenario | better | rust/js in chromium | rust/js in firefox |');
    expect(text).toMatch(/^\| connect \[json\] \| lower \| [\d.]+ \[[\d.]+, [\d.]+\] \w+ \| [\d.]+ \[/m);
    const link = /\[Open both runs in the lab page\]\((https:\/\/lab\.example\/x\/#r1\.[\w-]+)\)/.exec(text)?.[1];
    expect(link).toBeDefined();
    const d = await decodePermalink(new URL(link!).hash);
    expect(d.ok && 'merged' in d && d.merged.runs.length).toBe(2);
    expect(r.output).toContain(`Wrote ${out} (2 runs) and ${md}.`);
  });

  it('a merged file too large for a link says so in the summary instead of linking', async () => {
    const { dir, files } = inputs();
    const md = join(dir, 'merged.md');
    const r = await mergeCli(
      [...files, '--out', join(dir, 'm.json'), '--summary', md, '--permalink-base', 'https://lab.example/'],
      new Date(),
      { encoded: 100 },
    );
    expect(r.code).toBe(0);
    expect(readFileSync(md, 'utf8')).toMatch(/No link: these 2 runs are too large for a link \(\d+ characters > 100\)/);
  });

  it('refuses a bad input without writing anything', async () => {
    const { dir, files } = inputs();
    writeFileSync(files[1]!, '{"kind":"merged","runs":[]}');
    const r = await mergeCli([...files, '--out', join(dir, 'm.json')]);
    expect(r.code).toBe(1);
    expect(r.output).toContain('merged.runs: expected a non-empty array');
    expect(() => readFileSync(join(dir, 'm.json'))).toThrow();
  });
});
