/**
 * `npm run lab:merge a.json b.json … --out merged.json`: combines lab runs (different engines,
 * machines, CI matrix jobs) into one file that keeps every run whole (src/lab/merged.ts), and
 * prints how each run's rust/js compares, with each run's environment.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { mergeRuns } from '../lab/merged';
import { engineComparison } from './engines';

export const MERGE_USAGE = `Usage: npm run lab:merge -- RUN.json [RUN.json | MERGED.json …] --out merged.json

  Keeps each run's environment (engine, version, isolation, timer, machine) and its scenarios as they
  were; a merged input contributes its runs. Prints rust/js per run side by side.`;

export function mergeCli(argv: string[], now = new Date()): { code: number; output: string } {
  let values: { out?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { out: { type: 'string' }, help: { type: 'boolean' } },
      allowPositionals: true,
    }));
  } catch (e) {
    return { code: 2, output: `lab:merge: ${e instanceof Error ? e.message : String(e)}\n\n${MERGE_USAGE}` };
  }
  if (values.help) return { code: 0, output: MERGE_USAGE };
  if (!values.out) return { code: 2, output: `lab:merge: --out FILE is required\n\n${MERGE_USAGE}` };
  if (positionals.length < 1) return { code: 2, output: `lab:merge: give at least one results file\n\n${MERGE_USAGE}` };
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
  return {
    code: 0,
    output: `${engineComparison(merged.runs)}\n\nWrote ${values.out} (${merged.runs.length} runs).`,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = mergeCli(process.argv.slice(2));
  (r.code === 0 ? console.log : console.error)(r.output);
  process.exit(r.code);
}
