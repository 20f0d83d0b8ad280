import { describe, expect, it } from 'vitest';
import type { LabResultsV1 } from '../lab/results';
import type { LabMergedV1 } from '../lab/merged';
import { CSV_COLUMNS, csvField, fileStem, mergedCsv, toCsv, toJson } from './export';

function parseCsv(text: string): string[][] {
  // Minimal RFC 4180 reader for the test (quoted fields, doubled quotes, CRLF rows).
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        f += '"';
        i++;
      } else if (c === '"') q = false;
      else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(f);
      f = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(f);
      rows.push(row);
      row = [];
      f = '';
      i++;
    } else f += c;
  }
  return rows;
}

const results = (): LabResultsV1 =>
  ({
    schemaVersion: 1,
    tool: 'ably-sdk-lab',
    createdAt: '2026-05-01T10:20:30.000Z',
    arms: [{ id: 'js' }, { id: 'rust' }, { id: 'raw' }],
    scenarios: [
      {
        id: 'ws-roundtrip',
        protocol: 'json',
        title: 'Round trip, "quoted"\nnew line',
        group: 'latency',
        unit: 'ms',
        better: 'lower',
        status: 'ok',
        reason: null,
        arms: [
          {
            arm: 'js',
            n: 6,
            median: 4,
            medianCi: [3.5, 4.5],
            latency: { p50: 4, p95: 8, p99: 12 },
            rate: 250,
            integrity: null,
          },
          {
            arm: 'rust',
            n: 6,
            median: 2,
            medianCi: [null, 2.2],
            latency: null,
            rate: null,
            integrity: { expected: 10, received: 9, lost: 1, duplicated: 0, reordered: 2, ok: false },
          },
          {
            arm: 'raw',
            n: 6,
            median: 1,
            medianCi: [0.9, 1.1],
            latency: null,
            rate: null,
            integrity: null,
          },
        ],
        comparisons: [
          {
            candidate: 'rust',
            reference: 'js',
            ratio: 0.5,
            ci: [0.45, 0.55],
            n: 6,
            method: 't-log-ratio',
            verdict: 'faster',
          },
          {
            candidate: 'rust',
            reference: 'raw',
            ratio: 2,
            ci: [1.8, 2.2],
            n: 6,
            method: 't-log-ratio',
            verdict: 'slower',
          },
          {
            candidate: 'js',
            reference: 'raw',
            ratio: 4,
            ci: [3.6, 4.4],
            n: 6,
            method: 't-log-ratio',
            verdict: 'slower',
          },
        ],
        claims: [
          {
            kind: 'speed',
            text: '=HYPERLINK("http://evil")',
            candidate: 'rust',
            reference: 'js',
            threshold: 0.6,
            ratio: 0.5,
            ci: [0.45, 0.55],
            status: 'holds',
          },
        ],
        server: { cpuFraction: 0.9, bound: true },
      },
      {
        id: 'skipped-one',
        protocol: 'msgpack',
        title: 't',
        group: 'recovery',
        unit: 'ms',
        better: 'lower',
        status: 'skipped',
        reason: 'needs local',
        arms: [],
        comparisons: [],
        claims: [],
        server: { cpuFraction: null, bound: false },
      },
    ],
  }) as unknown as LabResultsV1;

describe('csvField', () => {
  it('quotes commas, quotes and newlines (RFC 4180)', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('x\ny')).toBe('"x\ny"');
    expect(csvField('plain')).toBe('plain');
  });
  it('neutralises spreadsheet formulas in strings but keeps negative numbers', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+cmd')).toBe("'+cmd");
    expect(csvField('@x')).toBe("'@x");
    expect(csvField(-1.5)).toBe('-1.5');
  });
  it('writes null, undefined and non-finite numbers as empty', () => {
    expect([csvField(null), csvField(undefined), csvField(Infinity), csvField(NaN)]).toEqual(['', '', '', '']);
  });
});

describe('toCsv', () => {
  const rows = parseCsv(toCsv(results()));
  const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
  it('has the header and one row per scenario × arm × comparison it is the candidate of (one row otherwise)', () => {
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    // ws-roundtrip: js (vs raw), rust (vs js, vs raw), raw (no comparison); the skipped scenario: one row.
    expect(rows).toHaveLength(1 + 4 + 1);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
  });
  it('has every comparison of the results, rust/raw included', () => {
    const pairs = rows
      .slice(1)
      .filter((r) => r[col('reference')])
      .map((r) => `${r[col('arm')]}/${r[col('reference')]} ${r[col('ratio')]} ${r[col('verdict')]}`);
    expect(pairs.sort()).toEqual(['js/raw 4 slower', 'rust/js 0.5 faster', 'rust/raw 2 slower']);
  });
  it('puts each arm’s numbers and each of its comparisons on a row, the claim on its pair’s row', () => {
    const byKey = new Map(rows.slice(1).map((r) => [`${r[col('arm')]}/${r[col('reference')]}`, r]));
    const js = byKey.get('js/raw')!;
    const rust = byKey.get('rust/js')!;
    const rustRaw = byKey.get('rust/raw')!;
    const raw = byKey.get('raw/')!;
    expect(js[col('median')]).toBe('4');
    expect(js[col('p95_ms')]).toBe('8');
    expect(raw[col('verdict')]).toBe(''); // raw is only ever a reference
    expect(rust[col('ratio')]).toBe('0.5');
    expect(rust[col('verdict')]).toBe('faster');
    expect(rust[col('change')]).toBe('50% faster [45–55%]');
    expect(rustRaw[col('change')]).toBe('2.0× slower [1.8–2.2×]');
    expect(rust[col('median_ci_lo')]).toBe('');
    expect(rust[col('lost')]).toBe('1');
    expect(rust[col('reordered')]).toBe('2');
    expect(rust[col('claim')]).toBe('\'=HYPERLINK("http://evil")');
    expect(rustRaw[col('claim')]).toBe('');
    expect(rust[col('server_bound')]).toBe('true');
    expect(rust[col('title')]).toBe('Round trip, "quoted"\nnew line');
    const skipped = rows.at(-1)!;
    expect(skipped[col('status')]).toBe('skipped');
    expect(skipped[col('arm')]).toBe('');
  });
});

describe('toJson / fileStem', () => {
  it('round-trips the results object exactly', () => {
    expect(JSON.parse(toJson(results()))).toEqual(results());
  });
  it('names files after the run time without colons', () => {
    expect(fileStem(results())).toBe('lab-2026-05-01T10-20-30');
    expect(fileStem({ ...results(), createdAt: '<bad>' })).toBe('lab-results');
  });
});

describe('merged files', () => {
  const withEngine = (name: 'chromium' | 'firefox') => ({
    ...results(),
    environment: { browser: name, engine: { name, version: '1', protocol: 'cdp', remote: false } },
  });
  const m = {
    tool: 'ably-sdk-lab',
    kind: 'merged',
    schemaVersion: 1,
    mergedAt: '2026-05-02T08:00:00.000Z',
    runs: [withEngine('chromium'), withEngine('firefox')],
  } as unknown as LabMergedV1;
  it('CSV: every run’s rows, each marked with its run (engine)', () => {
    const rows = parseCsv(mergedCsv(m));
    expect(rows[0]).toEqual(['run', ...CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + 2 * 5);
    expect(rows.slice(1).map((r) => r[0])).toEqual([...Array(5).fill('chromium'), ...Array(5).fill('firefox')]);
    expect(rows[6]!.slice(1)).toEqual(parseCsv(toCsv(results()))[1]);
  });
  it('names the file after the merge time', () => {
    expect(fileStem(m)).toBe('lab-merged-2026-05-02T08-00-00');
  });
});
