/** Writes a run's outputs: results JSON, Markdown summary, github-action-benchmark files, permalink. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { permalinkUrl } from '../lab/permalink';
import type { LabResultsV1 } from '../lab/results';
import { benchmarkActionJson, markdownDetails, markdownSummary } from '../lab/summary';

export interface WrittenOutputs {
  json: string;
  markdown: string;
  /** The full Markdown report (every pair, CIs, tails, integrity, notes); latest.md is the summary. */
  details: string;
  smaller: string;
  bigger: string;
  permalinkFile: string;
  permalink: string;
}

export async function writeOutputs(results: LabResultsV1, out: string, pageBase: string): Promise<WrittenOutputs> {
  const dir = dirname(out);
  const stem = out.replace(/\.json$/, '');
  mkdirSync(dir, { recursive: true });
  const permalink = await permalinkUrl(pageBase, results);
  const paths: WrittenOutputs = {
    json: out,
    markdown: `${stem}.md`,
    details: `${stem}.details.md`,
    smaller: `${stem}.benchmark-smaller.json`,
    bigger: `${stem}.benchmark-bigger.json`,
    permalinkFile: `${stem}.permalink.txt`,
    permalink,
  };
  const bench = benchmarkActionJson(results, permalink);
  writeFileSync(paths.json, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(paths.markdown, markdownSummary(results, permalink, basename(paths.details)));
  writeFileSync(paths.details, markdownDetails(results, permalink));
  writeFileSync(paths.smaller, `${JSON.stringify(bench.smaller, null, 2)}\n`);
  writeFileSync(paths.bigger, `${JSON.stringify(bench.bigger, null, 2)}\n`);
  writeFileSync(paths.permalinkFile, `${permalink}\n`);
  return paths;
}
