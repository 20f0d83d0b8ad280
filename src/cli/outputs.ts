/** Writes a run's outputs: results JSON, Markdown summary, github-action-benchmark files, permalink. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { permalinkUrl } from '../lab/permalink';
import type { LabResultsV1 } from '../lab/results';
import { benchmarkActionJson, markdownSummary } from '../lab/summary';

export interface WrittenOutputs {
  json: string;
  markdown: string;
  smaller: string;
  bigger: string;
  permalinkFile: string;
  permalink: string;
}

export async function writeOutputs(results: LabResultsV1, out: string, pageBase: string): Promise<WrittenOutputs> {
  const dir = dirname(out);
  const stem = out.replace(/\.json$/, '');
  mkdirSync(dir, { recursive: true });
  const permalink = await permalinkUrl(`${pageBase}/`, results);
  const paths: WrittenOutputs = {
    json: out,
    markdown: `${stem}.md`,
    smaller: `${stem}.benchmark-smaller.json`,
    bigger: `${stem}.benchmark-bigger.json`,
    permalinkFile: `${stem}.permalink.txt`,
    permalink,
  };
  const bench = benchmarkActionJson(results, permalink);
  writeFileSync(paths.json, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(paths.markdown, markdownSummary(results, permalink));
  writeFileSync(paths.smaller, `${JSON.stringify(bench.smaller, null, 2)}\n`);
  writeFileSync(paths.bigger, `${JSON.stringify(bench.bigger, null, 2)}\n`);
  writeFileSync(paths.permalinkFile, `${permalink}\n`);
  void join;
  return paths;
}
