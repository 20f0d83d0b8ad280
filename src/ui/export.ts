/**
 * Export of a results object: the JSON is exactly the versioned schema (results.ts); the CSV is
 * long format, one row per scenario × protocol × arm × comparison the arm is the candidate of
 * (rust/js and rust/raw are two rows of the rust arm; an arm that is only a reference, such as
 * raw, gets one row without a comparison), so every comparison of the results is in it.
 * Pure (no DOM) except `download`.
 */
import { comparisonChange } from '../lab/headline';
import { isMerged, type LabMergedV1, runLabels } from '../lab/merged';
import type { ComparisonV1, LabResultsV1 } from '../lab/results';

export const CSV_COLUMNS = [
  'scenario',
  'protocol',
  'title',
  'group',
  'unit',
  'better',
  'status',
  'arm',
  'n',
  'median',
  'median_ci_lo',
  'median_ci_hi',
  'p50_ms',
  'p95_ms',
  'p99_ms',
  'rate_per_s',
  'lost',
  'duplicated',
  'reordered',
  'reference',
  'ratio',
  'ratio_ci_lo',
  'ratio_ci_hi',
  'verdict',
  'change',
  'claim',
  'claim_status',
  'server_bound',
] as const;

/**
 * One CSV field (RFC 4180 quoting). Strings that a spreadsheet would run as a formula
 * (leading = + - @, tab, CR) get a leading apostrophe: the data may come from a shared file.
 */
export function csvField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(r: LabResultsV1): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const s of r.scenarios) {
    const arms = s.arms.length ? s.arms : [null];
    for (const a of arms) {
      const mine = a ? s.comparisons.filter((c) => c.candidate === a.arm) : [];
      for (const cmp of mine.length ? mine : [undefined as ComparisonV1 | undefined]) {
        const claim = cmp
          ? s.claims.find((c) => c.candidate === cmp.candidate && c.reference === cmp.reference)
          : undefined;
        const row = [
          s.id,
          s.protocol,
          s.title,
          s.group,
          s.unit,
          s.better,
          s.status,
          a?.arm,
          a?.n,
          a?.median,
          a?.medianCi[0],
          a?.medianCi[1],
          a?.latency?.p50,
          a?.latency?.p95,
          a?.latency?.p99,
          a?.rate,
          a?.integrity?.lost,
          a?.integrity?.duplicated,
          a?.integrity?.reordered,
          cmp?.reference,
          cmp?.ratio,
          cmp?.ci[0],
          cmp?.ci[1],
          cmp?.verdict,
          cmp ? comparisonChange(s, cmp) : undefined,
          claim?.text,
          claim?.status,
          s.server.bound,
        ];
        rows.push(row.map(csvField).join(','));
      }
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}

/** A merged file as one CSV: each run's rows (toCsv) after a `run` column naming it (runLabels). */
export function mergedCsv(m: LabMergedV1): string {
  const labels = runLabels(m.runs);
  const rows = [['run', ...CSV_COLUMNS].join(',')];
  m.runs.forEach((r, i) => {
    const lines = toCsv(r).split('\r\n').slice(1, -1);
    // Rows are split at CRLF only: a field's own newlines are LF inside quotes (csvField).
    for (const line of lines) rows.push(`${csvField(labels[i])},${line}`);
  });
  return `${rows.join('\r\n')}\r\n`;
}

export function toJson(r: LabResultsV1 | LabMergedV1): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

/** File name stem from the run's time: `lab-2026-05-01T10-20-30`; a merged file: `lab-merged-<merge time>`. */
export function fileStem(r: LabResultsV1 | LabMergedV1): string {
  const merged = isMerged(r);
  const at = merged ? (r as LabMergedV1).mergedAt : (r as LabResultsV1).createdAt;
  const t = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.exec(at)?.[0] ?? 'results';
  return `lab-${merged ? 'merged-' : ''}${t.replace(/:/g, '-')}`;
}

export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
