/**
 * `npm run lab:merge a.json b.json … --out merged.json`: combines lab runs (different engines,
 * machines, CI matrix jobs) into one file that keeps every run whole (src/lab/merged.ts), and
 * prints how each run's rust/js compares, with each run's environment.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { mergeRuns } from '../lab/merged';
import { permalinkFor } from '../lab/permalink';
import { mergedMarkdown } from '../lab/summary';
import { parsePermalinkBase } from './args';
import { engineComparison } from './engines';

export const MERGE_USAGE = `Usage: npm run lab:merge -- RUN.json [RUN.json | MERGED.json …] --out merged.json
                         [--summary merged.md] [--permalink-base URL]

  Keeps each run's environment (engine, version, isolation, timer, machine) and its scenarios as they
  were; a merged input contributes its runs. Prints rust/js per run side by side.
  --summary FILE          also write that comparison as Markdown (a CI job summary), with one link to every run
  --permalink-base URL    the lab page the link opens in (default $LAB_PERMALINK_BASE; none: no link)`;

/** The whole link, unless it is long and the summary file holds it (a cut link does not open). */
function linkLine(url: string, summary: string | undefined): string {
  return url.length <= 2000 || !summary
    ? `Permalink (every run): ${url}`
    : `Permalink (every run): ${url.length} characters, in ${summary}`;
}

export async function mergeCli(
  argv: string[],
  now = new Date(),
  linkLimits?: Parameters<typeof permalinkFor>[1],
): Promise<{ code: number; output: string }> {
  let values: { out?: string; help?: boolean; summary?: string; 'permalink-base'?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        summary: { type: 'string' },
        'permalink-base': { type: 'string' },
        help: { type: 'boolean' },
      },
      allowPositionals: true,
    }));
  } catch (e) {
    return { code: 2, output: `lab:merge: ${e instanceof Error ? e.message : String(e)}\n\n${MERGE_USAGE}` };
  }
  if (values.help) return { code: 0, output: MERGE_USAGE };
  if (!values.out) return { code: 2, output: `lab:merge: --out FILE is required\n\n${MERGE_USAGE}` };
  if (positionals.length < 1) return { code: 2, output: `lab:merge: give at least one results file\n\n${MERGE_USAGE}` };
  let base: string | undefined;
  try {
    const b = values['permalink-base'] ?? process.env.LAB_PERMALINK_BASE;
    base = b ? parsePermalinkBase(b) : undefined;
  } catch (e) {
    return { code: 2, output: `lab:merge: ${e instanceof Error ? e.message : String(e)}\n\n${MERGE_USAGE}` };
  }
  let merged: ReturnType<typeof mergeRuns>;
  try {
    merged = mergeRuns(
      positionals.map((name) => ({ name, value: JSON.parse(readFileSync(name, 'utf8')) as unknown })),
      now,
    );
  } catch (e) {
    return { code: 1, output: `lab:merge: ${e instanceof Error ? e.message : String(e)}` };
  }
  writeFileSync(values.out, `${JSON.stringify(merged, null, 2)}\n`);
  let link: { ok: true; url: string } | { ok: false; error: string } | undefined;
  if (base) {
    const l = await permalinkFor(merged, linkLimits);
    link = l.ok ? { ok: true, url: `${base}#${l.hash}` } : l;
  }
  if (values.summary) writeFileSync(values.summary, mergedMarkdown(merged, link));
  return {
    code: 0,
    output:
      `${engineComparison(merged.runs)}\n\nWrote ${values.out} (${merged.runs.length} runs)` +
      `${values.summary ? ` and ${values.summary}` : ''}.` +
      (link ? `\n${link.ok ? linkLine(link.url, values.summary) : `No permalink: ${link.error}.`}` : ''),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  mergeCli(process.argv.slice(2)).then((r) => {
    (r.code === 0 ? console.log : console.error)(r.output);
    process.exit(r.code);
  });
}
