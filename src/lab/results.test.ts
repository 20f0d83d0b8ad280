import { describe, expect, it } from 'vitest';
import { type LabMergedV1, mergeRuns } from './merged';
import { decodePermalink, encodePermalink, HASH_PREFIX, permalinkFor, toBase64Url } from './permalink';
import {
  type ArmRecord,
  buildResults,
  emptyArmRecord,
  recordSample,
  type ScenarioRecord,
  scenarioResult,
} from './report';
import { type LabResultsV1, type ScenarioV1, validateResults } from './results';
import { scenarioById } from './scenarios/index';
import { benchmarkActionJson, markdownSummary, resultsTable } from './summary';

/** A completed JSON scenario's record as the runner keeps it, with `fields` overriding. */
function scenarioRecord(id: string, fields: Partial<ScenarioRecord> = {}): ScenarioRecord {
  return {
    meta: scenarioById(id)!.meta,
    protocol: 'json',
    status: 'ok',
    reason: null,
    warmupRounds: 1,
    stoppedBy: 'max-rounds',
    elapsedS: 5,
    arms: {},
    serverCpuMs: 0,
    serverWallMs: 0,
    ...fields,
  };
}

/** A results object built the way the runner builds it (report.ts), from synthetic records. */
function sampleResults(): LabResultsV1 {
  const rec = scenarioRecord('publish-ack-latency', {
    stoppedBy: 'resolved',
    elapsedS: 3.2,
    serverCpuMs: 50,
    serverWallMs: 1000,
  });
  const meta = rec.meta;
  const vals: Record<string, number[]> = {
    rust: [0.2, 0.21, 0.2, 0.2],
    js: [0.5, 0.52, 0.49, 0.51],
    raw: [0.25, 0.26, 0.24, 0.25],
  };
  for (const [id, v] of Object.entries(vals)) {
    rec.arms[id] = {
      ...emptyArmRecord(),
      values: v,
      latency: v.map((x) => ({ p50: x, p95: x * 2, p99: x * 3 })),
      rates: v.map((x) => 1000 / x),
    };
  }
  const arms = ['rust', 'js', 'raw'].map((id) => ({ id, sdk: id as 'rust' | 'js' | 'raw' }));
  return buildResults({
    createdAt: new Date('2026-11-27T12:00:00Z'),
    durationS: 10,
    config: {
      quick: true,
      aa: false,
      budgetS: 110,
      scenarios: [meta.id],
      protocols: ['json'],
      endpoint: { kind: 'local', host: '127.0.0.1', port: 1234, tls: false },
      equivalenceMargin: 0.02,
      confidence: 0.95,
    },
    environment: {
      userAgent: 'UA',
      browser: 'Chromium 156',
      cores: 2,
      crossOriginIsolated: true,
      timerGranularityUs: 5,
      gitCommit: 'abc',
      gitDirty: false,
      memoryMethod: 'cdp',
      cpuMethod: 'proc',
      notes: [],
    },
    arms: arms.map((a) => ({
      id: a.id,
      sdk: a.sdk,
      workers: [
        {
          protocol: 'json',
          sdkVersion: `${a.id} 1`,
          crossOriginIsolated: true,
          timerGranularityUs: 5,
          scriptUrl: `http://x/${a.id}.js`,
        },
      ],
    })),
    armList: arms,
    records: [rec],
  });
}

/**
 * Adds one scenario to `r`, built by the report builder from per-arm records (every arm of `r`
 * gets `arm(id)`); the record's other fields default to a completed scenario.
 */
function withScenario(
  r: LabResultsV1,
  id: string,
  arm: (id: string) => Partial<ArmRecord>,
  fields: Partial<ScenarioRecord> = {},
): ScenarioV1 {
  const rec = scenarioRecord(id, {
    arms: Object.fromEntries(r.arms.map((a) => [a.id, { ...emptyArmRecord(), ...arm(a.id) }])),
    ...fields,
  });
  const s = scenarioResult(
    rec,
    r.arms.map((x) => ({ id: x.id, sdk: x.sdk })),
    false,
  );
  r.config.scenarios.push(rec.meta.id);
  r.scenarios.push(s);
  return s;
}

describe('results schema v1', () => {
  it('what the report builder produces validates, with verdicts and claims computed', () => {
    const r = sampleResults();
    const v = validateResults(JSON.parse(JSON.stringify(r)));
    expect(v.ok ? [] : v.errors).toEqual([]);
    const s = r.scenarios[0]!;
    expect(s.comparisons.map((c) => `${c.candidate}/${c.reference}:${c.verdict}`)).toEqual([
      'rust/js:faster',
      'rust/raw:faster',
      'js/raw:slower',
    ]);
    expect(s.claims[0]).toMatchObject({ kind: 'speed', status: 'holds' }); // ≈0.4 with a CI well under 0.6
    expect(s.server).toEqual({ cpuFraction: 0.05, bound: false });
  });

  it('gives readable, path-qualified errors', () => {
    const r = JSON.parse(JSON.stringify(sampleResults()));
    r.scenarios[0].arms[1].median = 'fast';
    delete r.environment.cores;
    r.scenarios[0].comparisons[0].verdict = 'better';
    const v = validateResults(r);
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.errors).toContain(
        'results.scenarios[0].arms[1].median: expected a finite number (|x| ≤ 1000000000000000) or null, got string "fast"',
      );
      expect(v.errors).toContain('results.environment.cores: missing');
      expect(v.errors.some((e) => e.startsWith('results.scenarios[0].comparisons[0].verdict: expected one of'))).toBe(
        true,
      );
    }
  });

  it('rejects other schema versions and unknown arms', () => {
    expect(validateResults({ schemaVersion: 2 })).toEqual({
      ok: false,
      errors: ['results.schemaVersion: this lab reads version 1, got 2'],
    });
    const r = JSON.parse(JSON.stringify(sampleResults()));
    r.scenarios[0].arms[0].arm = 'ghost';
    const v = validateResults(r);
    expect(v.ok ? [] : v.errors).toEqual(['results.scenarios[0].arms[0].arm: unknown arm "ghost"']);
  });

  it('summaries: table, Markdown and github-action-benchmark entries with stable names', () => {
    const r = sampleResults();
    expect(resultsTable(r)).toMatch(/rust vs js 6\d% faster \[\d+–\d+%\] → faster/);
    expect(markdownSummary(r, 'http://x/#r1.abc')).toMatch(
      /\| publish-ack-latency \| 0\.2\d* ms \| 0\.5\d* ms \| 6\d% faster/,
    );
    const b = benchmarkActionJson(r);
    expect(b.smaller.map((e) => e.name)).toContain('publish-ack-latency [json] rust/js time ratio');
    expect(b.smaller.find((e) => e.name === 'publish-ack-latency [json] js')!.value).toBeCloseTo(0.505, 3);
    expect(b.bigger).toEqual([]);
  });
});

describe('a failed scenario', () => {
  // What the runner records when round 38 of a stream scenario violates integrity: the reason,
  // and the samples of the rounds before it (the failing sample itself is never recorded).
  function failedResults(samplesSoFar: number): LabResultsV1 {
    const r = sampleResults();
    withScenario(
      r,
      'subscribe-throughput',
      () => ({ values: Array.from({ length: samplesSoFar }, (_, i) => 30_000 + i) }),
      {
        protocol: 'msgpack',
        status: 'failed',
        reason: 'integrity violated on rust: 5000 lost, 0 duplicated, 0 reordered of 5000',
        stoppedBy: 'failed',
        elapsedS: 17,
      },
    );
    return r;
  }

  it.each([0, 1, 37])('validates with its reason and the %i samples taken before it failed', (n) => {
    const r = failedResults(n);
    const v = validateResults(JSON.parse(JSON.stringify(r)));
    expect(v.ok ? [] : v.errors).toEqual([]);
    const s = r.scenarios[1]!;
    expect(s).toMatchObject({
      status: 'failed',
      stoppedBy: 'failed',
      rounds: n,
      reason: expect.stringContaining('5000 lost'),
    });
    expect(s.arms.every((a) => a.samples.length === n)).toBe(true);
  });

  it('is named with its reason in the table and before the Markdown table', () => {
    const r = failedResults(37);
    expect(resultsTable(r)).toContain('FAILED: integrity violated on rust: 5000 lost');
    const md = markdownSummary(r);
    expect(md).toContain(
      '**1 of 2 scenarios failed** (the others completed):\n- subscribe-throughput [msgpack] after 37 rounds: integrity violated on rust: 5000 lost',
    );
    expect(md.indexOf('scenarios failed')).toBeLessThan(md.indexOf('| scenario |'));
  });
});

describe('a comparison from two widely spread rounds', () => {
  // Seen in a clean CI run: recovery, 2 rounds, js/raw per-round ratios about 0.5 and 3. A t interval
  // with 1 degree of freedom at the repeated-CI level spans e^±35: its upper end (1.9e15) is beyond
  // any figure the schema accepts, and the whole results file was refused. Such an end means
  // "unbounded"; it is reported as null (shown as –), and the verdict stays unsure.
  it('reports an end beyond any measurable figure as unbounded, and the results validate', () => {
    const r = sampleResults();
    const vals: Record<string, number[]> = { rust: [40, 45], js: [50, 300], raw: [100, 100] };
    const s = withScenario(r, 'recovery', (id) => ({ values: vals[id]! }), { warmupRounds: 0, level: 0.9915 });
    const v = validateResults(JSON.parse(JSON.stringify(r)));
    expect(v.ok ? [] : v.errors).toEqual([]);
    const jsRaw = s.comparisons.find((c) => c.candidate === 'js' && c.reference === 'raw')!;
    expect(jsRaw.ci[1]).toBeNull();
    expect(jsRaw.ci[0]).toBeGreaterThanOrEqual(0);
    expect(jsRaw.verdict).toBe('unsure');
  });
});

describe('worker CPU per round', () => {
  it('is kept per measured round beside the wall-time samples, and validated', () => {
    const r = sampleResults();
    const s = withScenario(r, 'publish-throughput', () => ({
      values: [30_000, 31_000, 29_000],
      cpuMessages: 18_000,
      workerCpuMs: 270,
      cpuKnown: true,
      cpuPerMsg: [15.123456, null, 14.5],
    }));
    expect(s.arms[0]!.cpu).toEqual({
      workerUsPerMsg: 15,
      serverUsPerMsg: null,
      workerUsPerMsgSamples: [15.12, null, 14.5],
    });
    const v = validateResults(JSON.parse(JSON.stringify(r)));
    expect(v.ok ? [] : v.errors).toEqual([]);
    const bad = JSON.parse(JSON.stringify(r));
    bad.scenarios[1].arms[0].cpu.workerUsPerMsgSamples = [1, 'x'];
    const refused = validateResults(bad);
    expect(refused.ok ? [] : refused.errors).toEqual([
      expect.stringContaining('results.scenarios[1].arms[0].cpu.workerUsPerMsgSamples[1]'),
    ]);
  });

  it('is compared pair by pair like wall time, over the rounds both arms could read', () => {
    const r = sampleResults();
    const perMsg: Record<string, (number | null)[]> = {
      rust: [5, 5.5, null, 5],
      js: [10, 11, 10, 10],
      raw: [4, 4, 4, 4],
    };
    const s = withScenario(r, 'subscribe-throughput', (id) => ({
      values: [30_000, 31_000, 29_000, 30_000],
      cpuMessages: 20_000,
      workerCpuMs: 100,
      cpuKnown: true,
      cpuPerMsg: perMsg[id]!,
    }));
    const rustJs = s.comparisons.find((c) => c.candidate === 'rust' && c.reference === 'js')!;
    expect(rustJs.cpu!.n).toBe(3);
    expect(rustJs.cpu!.ratio).toBeCloseTo(0.5, 6);
    expect(rustJs.cpu!.verdict).toBe('faster');
    const jsRaw = s.comparisons.find((c) => c.candidate === 'js' && c.reference === 'raw')!;
    // Per round js/raw = 10/4, 11/4, 10/4, 10/4: their geometric mean, exactly.
    expect(jsRaw.cpu!.ratio).toBeCloseTo((2.5 ** 3 * 2.75) ** (1 / 4), 6);
    expect(jsRaw.cpu!.verdict).toBe('slower');
    const v = validateResults(JSON.parse(JSON.stringify(r)));
    expect(v.ok ? [] : v.errors).toEqual([]);
    const bad = JSON.parse(JSON.stringify(r));
    bad.scenarios[1].comparisons[0].cpu.ci = [2, 1];
    const refused = validateResults(bad);
    expect(refused.ok ? [] : refused.errors).toEqual([expect.stringContaining('comparisons[0].cpu.ci: low end 2')]);
  });

  it('is left out of a comparison when fewer than two rounds have it', () => {
    const r = sampleResults();
    const s = withScenario(r, 'subscribe-throughput', () => ({ values: [30_000, 31_000], cpuPerMsg: [null, 4] }));
    expect(s.comparisons.every((c) => c.cpu === undefined)).toBe(true);
  });
});

describe('permalink', () => {
  it('round-trips the results exactly', async () => {
    const r = sampleResults();
    const hash = await encodePermalink(r);
    expect(hash.startsWith(HASH_PREFIX)).toBe(true);
    expect(hash).toMatch(/^r1\.[A-Za-z0-9_-]+$/);
    const d = await decodePermalink(`#${hash}`);
    expect(d).toEqual({ ok: true, results: JSON.parse(JSON.stringify(r)) });
  });

  it('keeps the engine a run was measured in', async () => {
    const r = sampleResults();
    r.environment.engine = { name: 'firefox', version: '153.8.0', protocol: 'bidi', remote: true };
    const d = await decodePermalink(await encodePermalink(r));
    expect(d.ok && 'results' in d && d.results.environment.engine).toEqual(r.environment.engine);
  });

  it('carries a merged file (runs from two engines) as one link, each run with its engine', async () => {
    const chromium = sampleResults();
    chromium.environment.engine = { name: 'chromium', version: '156.0.1', protocol: 'cdp', remote: false };
    const firefox = sampleResults();
    firefox.environment.engine = { name: 'firefox', version: '153.8.0', protocol: 'bidi', remote: false };
    const merged = mergeRuns(
      [
        { name: 'a.json', value: chromium },
        { name: 'b.json', value: firefox },
      ],
      new Date('2026-11-28T00:00:00Z'),
    );
    const link = await permalinkFor(merged);
    expect(link.ok).toBe(true);
    if (!link.ok) return;
    const d = await decodePermalink(link.hash);
    expect(d).toEqual({ ok: true, merged: JSON.parse(JSON.stringify(merged)) });
    if (d.ok && 'merged' in d)
      expect(d.merged.runs.map((x) => x.environment.engine?.name)).toEqual(['chromium', 'firefox']);
  });

  it('a merged link with an invalid run is refused whole, naming the run', async () => {
    const bad = { ...mergeRuns([{ name: 'a', value: sampleResults() }], new Date()) } as LabMergedV1;
    bad.runs = [bad.runs[0]!, { ...bad.runs[0]!, durationS: -1 }];
    const d = await decodePermalink(await encodePermalink(bad));
    expect(d).toMatchObject({ ok: false, error: expect.stringContaining('merged.runs[1]: results.durationS') });
  });

  it('says so when results are too large for a link that would open, instead of making one', async () => {
    const merged = mergeRuns(
      Array.from({ length: 3 }, (_, i) => ({ name: `${i}.json`, value: sampleResults() })),
      new Date(),
    );
    const json = JSON.stringify(merged).length;
    const small = await permalinkFor(merged, { decompressed: json - 1 });
    expect(small).toMatchObject({
      ok: false,
      error: expect.stringMatching(/too large for a link .*share the file instead/),
    });
    const short = await permalinkFor(sampleResults(), { encoded: 100 });
    expect(short).toMatchObject({
      ok: false,
      error: expect.stringMatching(/too large for a link \(\d+ characters > 100\)/),
    });
    expect((await permalinkFor(merged)).ok).toBe(true);
  });

  it('corrupt, truncated and foreign links give a clear error, never a throw', async () => {
    const hash = await encodePermalink(sampleResults());
    expect(await decodePermalink('#nope')).toMatchObject({
      ok: false,
      error: expect.stringContaining('not a lab results link'),
    });
    expect(await decodePermalink('#r1.!!!')).toMatchObject({
      ok: false,
      error: expect.stringContaining('not base64url'),
    });
    expect(await decodePermalink(hash.slice(0, hash.length / 2))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/corrupt|truncated/),
    });
    const json = JSON.stringify({ schemaVersion: 1, hello: '<script>alert(1)</script>' });
    const deflated = new Blob([json]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    const notResults = `r1.${toBase64Url(new Uint8Array(await new Response(deflated).arrayBuffer()))}`;
    const d = await decodePermalink(notResults);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error).toContain('does not hold valid lab results');
  });

  it('refuses a zip bomb: decompression stops at the cap', async () => {
    const bomb = new Uint8Array(8 * 1024 * 1024).fill(32); // 8 MiB of spaces → a few KiB deflated
    const deflated = new Uint8Array(
      await new Response(new Blob([bomb]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer(),
    );
    expect(deflated.length).toBeLessThan(20_000);
    const d = await decodePermalink(`r1.${toBase64Url(deflated)}`);
    expect(d).toMatchObject({ ok: false, error: expect.stringContaining('too large') });
  });

  it('refuses an oversized link before decoding', async () => {
    const d = await decodePermalink(`r1.${'A'.repeat(1024 * 1024 + 10)}`);
    expect(d).toMatchObject({ ok: false, error: expect.stringContaining('link too long') });
  });
});

describe('recording a sample', () => {
  const ok = { expected: 300, received: 300, lost: 0, duplicated: 0, reordered: 0 };
  it('records a good stream sample: value and rate', () => {
    const r = emptyArmRecord();
    expect(recordSample(r, { kind: 'stream', messages: 299, elapsedMs: 10, integrity: ok }, 29_900, 'rust')).toBe(
      29_900,
    );
    expect(r).toMatchObject({ values: [29_900], rates: [29_900], integrity: ok });
  });

  // Round 38 of a long run: the subscriber got none of the messages. Its rate is 0/0; recording
  // it gave the results file a null sample that failed validation and lost the whole run.
  it('records nothing of a sample that received nothing, and says why', () => {
    const r = emptyArmRecord();
    r.values.push(30_000);
    const nothing = { expected: 300, received: 0, lost: 300, duplicated: 0, reordered: 0 };
    expect(() =>
      recordSample(r, { kind: 'stream', messages: 0, elapsedMs: NaN, integrity: nothing }, NaN, 'rust'),
    ).toThrow('integrity violated on rust: 300 lost, 0 duplicated, 0 reordered of 300');
    expect(r.values).toEqual([30_000]);
    expect(r.rates).toEqual([]);
  });

  it('refuses a value that is not a number even when integrity holds', () => {
    const r = emptyArmRecord();
    expect(() =>
      recordSample(
        r,
        { kind: 'stream', messages: 0, elapsedMs: 0, integrity: { ...ok, expected: 1, received: 1 } },
        NaN,
        'js',
      ),
    ).toThrow('no value measured on js (NaN)');
    expect(r.values).toEqual([]);
  });
});

describe('hostile and impossible results', () => {
  it('quotes at most a short excerpt of a huge invalid schemaVersion', () => {
    const v = validateResults({ schemaVersion: 'x'.repeat(2_000_000) });
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.errors).toHaveLength(1);
      expect(v.errors[0]!.length).toBeLessThan(200);
      expect(v.errors[0]).toContain('(2000000 characters)');
    }
  });

  it('rejects numbers no run can produce: negative or 1e308 times, non-positive ratios, intervals upside down', () => {
    const cases: [string, (r: LabResultsV1) => void, RegExp][] = [
      ['negative median', (r) => void (r.scenarios[0]!.arms[0]!.median = -1), /negative ms figures/],
      [
        '1e308 median',
        (r) => void (r.scenarios[0]!.arms[0]!.median = 1e308),
        /median: expected a finite number \(\|x\| ≤ 1000000000000000\)/,
      ],
      [
        'negative ratio',
        (r) => void (r.scenarios[0]!.comparisons[0]!.ratio = -0.5),
        /comparisons\[0\]: a ratio must be positive and its CI not negative/,
      ],
      [
        'CI upside down',
        (r) => void (r.scenarios[0]!.comparisons[0]!.ci = [1.2, 0.8]),
        /comparisons\[0\]\.ci: low end 1\.2 above high end 0\.8/,
      ],
      [
        'median CI upside down',
        (r) => void (r.scenarios[0]!.arms[1]!.medianCi = [3, 1]),
        /arms\[1\]\.medianCi: low end 3 above high end 1/,
      ],
      ['huge round count', (r) => void (r.scenarios[0]!.rounds = 1e300), /rounds: expected a non-negative integer/],
      ['negative p99', (r) => void (r.scenarios[0]!.arms[0]!.latency!.p99 = -3), /p99: expected a non-negative number/],
    ];
    for (const [what, spoil, message] of cases) {
      const r = JSON.parse(JSON.stringify(sampleResults())) as LabResultsV1;
      spoil(r);
      const v = validateResults(r);
      expect(v.ok, what).toBe(false);
      if (!v.ok) expect(v.errors.join('\n'), what).toMatch(message);
    }
  });

  it('accepts negative memory deltas (a figure below its baseline is a measurement)', () => {
    const r = JSON.parse(JSON.stringify(sampleResults())) as LabResultsV1;
    r.scenarios[0]!.unit = 'bytes';
    r.scenarios[0]!.arms[0]!.median = -2048;
    r.scenarios[0]!.arms[0]!.medianCi = [-4096, 512];
    const v = validateResults(r);
    expect(v.ok ? [] : v.errors).toEqual([]);
  });
});
