import { describe, expect, it } from 'vitest';
import type { LabResultsV1 } from '../lab/results';
import { mergeRuns } from '../lab/merged';
import { buildHistory, classify, parseBenchmarkData, parseBenchName, seriesName } from './history';

const run = (id: string, ts: string, benches: { name: string; value: number; unit?: string }[]) => ({
  commit: { id, timestamp: ts },
  date: Date.parse(ts),
  tool: 'customSmallerIsBetter',
  benches,
});
const data = {
  lastUpdate: 1,
  entries: {
    smaller: [
      run('bbbbbbb2', '2026-04-02T00:00:00Z', [
        { name: 'connect [json] rust/js time ratio', value: 0.5, unit: 'ratio' },
        { name: 'connect [json] rust', value: 10, unit: 'ms' },
      ]),
      run('aaaaaaa1', '2026-04-01T00:00:00Z', [
        { name: 'connect [json] rust/js time ratio', value: 0.7, unit: 'ratio' },
        { name: 'connect [json] js worker CPU', value: 3 },
        { name: 'not a lab bench', value: 1 },
      ]),
    ],
    bigger: [
      run('aaaaaaa1', '2026-04-01T00:00:00Z', [
        { name: 'subscribe-throughput [msgpack] js', value: 5000, unit: 'msg/s' },
      ]),
    ],
  },
};

describe('parseBenchName', () => {
  it('splits medians, ratios and other series', () => {
    expect(parseBenchName('rest-publish-single-100 [json] rust')).toEqual({
      key: 'rest-publish-single-100 [json]',
      kind: 'median',
      series: 'rust',
    });
    expect(parseBenchName('connect [msgpack] rust/js time ratio')).toEqual({
      key: 'connect [msgpack]',
      kind: 'ratio',
      series: 'rust/js',
    });
    expect(parseBenchName('connect [json] js worker CPU')?.kind).toBe('other');
    expect(parseBenchName('no protocol here')).toBeNull();
  });
});

describe('parseBenchmarkData', () => {
  it('reads data.js without running it, and its JSON', () => {
    const js = `window.BENCHMARK_DATA = ${JSON.stringify(data)};\n`;
    expect(parseBenchmarkData(js).entries.smaller).toHaveLength(2);
    expect(parseBenchmarkData(JSON.stringify(data)).entries.bigger).toHaveLength(1);
  });
  it('refuses code and malformed entries with readable errors', () => {
    expect(() => parseBenchmarkData('window.BENCHMARK_DATA = (alert(1), {})')).toThrow(
      /not github-action-benchmark data/,
    );
    expect(() => parseBenchmarkData('{"entries": []}')).toThrow(/no "entries" object/);
    expect(() => parseBenchmarkData('{"entries": {"x": [{"benches": [{"name": "a", "value": "1"}]}]}}')).toThrow(
      /benches is not a list/,
    );
  });
});

const labResults = (createdAt: string, ratio: number): LabResultsV1 =>
  ({
    schemaVersion: 1,
    tool: 'ably-sdk-lab',
    createdAt,
    durationS: 1,
    config: {
      quick: true,
      aa: false,
      budgetS: 1,
      scenarios: ['subscribe-throughput'],
      protocols: ['msgpack'],
      endpoint: { kind: 'local', host: 'h', port: 1, tls: false },
      equivalenceMargin: 0.02,
      confidence: 0.95,
    },
    environment: {
      userAgent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36',
      browser: 'Chromium 150.0.1',
      cores: 2,
      crossOriginIsolated: true,
      timerGranularityUs: 5,
      gitCommit: 'ccccccc3',
      gitDirty: false,
      memoryMethod: 'none',
      cpuMethod: 'none',
      notes: [],
    },
    arms: [
      { id: 'js', sdk: 'js', workers: [] },
      { id: 'rust', sdk: 'rust', workers: [] },
    ],
    scenarios: [
      {
        id: 'subscribe-throughput',
        protocol: 'msgpack',
        title: 't',
        group: 'throughput',
        unit: 'msg/s',
        better: 'higher',
        status: 'ok',
        reason: null,
        rounds: 4,
        warmupRounds: 1,
        stoppedBy: 'resolved',
        elapsedS: 1,
        arms: ['js', 'rust'].map((arm, i) => ({
          arm,
          n: 4,
          median: 5000 * (1 + i),
          medianCi: [null, null],
          mean: null,
          meanCi: [null, null],
          min: null,
          max: null,
          cv: null,
          samples: [],
          latency: null,
          rate: null,
          integrity: null,
          cpu: null,
          memory: null,
          coldStart: null,
        })),
        comparisons: [
          {
            candidate: 'rust',
            reference: 'js',
            ratio,
            ci: [ratio, ratio],
            n: 4,
            method: 't-log-ratio',
            verdict: 'faster',
          },
        ],
        claims: [],
        server: { cpuFraction: null, bound: false },
      },
    ],
  }) as LabResultsV1;

describe('buildHistory', () => {
  it('merges data.js and results files on one time axis, sorted, ratios time-like', () => {
    const { history, errors } = buildHistory([
      { name: 'data.js', text: `window.BENCHMARK_DATA = ${JSON.stringify(data)}` },
      { name: 'r.json', text: JSON.stringify(labResults('2026-04-03T00:00:00.000Z', 2)) },
      { name: 'bad.json', text: '{"nope": 1}' },
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^bad\.json: not lab results/);
    expect(history.runs.map((r) => r.label)).toEqual(['aaaaaaa', 'bbbbbbb', 'ccccccc']);
    const connect = history.scenarios.find((s) => s.key === 'connect [json]')!;
    expect(connect.ratios['rust/js · chromium']).toEqual([0.7, 0.5, null]);
    expect(connect.medians['rust · chromium']).toEqual([null, 10, null]);
    expect(connect.medians['js worker CPU · chromium']).toBeUndefined();
    const sub = history.scenarios.find((s) => s.key === 'subscribe-throughput [msgpack]')!;
    // Same commit in two suites → one run; a rate ratio of 2 (rust twice the rate) is time-like 0.5.
    expect(sub.medians['js · chromium']).toEqual([5000, null, 5000]);
    expect(sub.ratios['rust/js · chromium']).toEqual([null, null, 0.5]);
    expect(sub.unit).toBe('msg/s');
  });
  it('classifies inputs', () => {
    expect(classify(JSON.stringify(data)).kind).toBe('benchmark');
    expect(classify(JSON.stringify(labResults('2026-01-01T00:00:00Z', 1))).kind).toBe('results');
    expect(() => classify('alert(1)')).toThrow(/neither data.js nor JSON/);
  });
});

describe('hostile names', () => {
  it('a `__proto__` series or arm from data.js or a results file never writes Object.prototype', () => {
    const benches = [
      { name: 'connect [json] __proto__', value: 1, unit: 'ms' },
      { name: 'connect [json] __proto__/js time ratio', value: 0.5, unit: 'ratio' },
      { name: 'connect [json] constructor', value: 2, unit: 'ms' },
    ];
    // Written as text: JSON.parse keeps `__proto__` as an own key, as a file from disk has it.
    const text = `window.BENCHMARK_DATA = {"entries":{"__proto__":[${JSON.stringify(run('ccccccc3', '2026-04-03T00:00:00Z', benches))}]}}`;
    const { history, errors } = buildHistory([{ name: 'data.js', text }]);
    expect(errors).toEqual([]);
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>)[0]).toBeUndefined();
    const s = history.scenarios.find((x) => x.key === 'connect [json]')!;
    expect(Object.keys(s.medians).sort()).toEqual(['__proto__ · chromium', 'constructor · chromium']);
    expect(Object.getOwnPropertyDescriptor(s.medians, '__proto__ · chromium')?.value).toEqual([1]);
    expect(s.ratios['__proto__/js · chromium']).toEqual([0.5]);
  });

  it('an error quotes at most a short excerpt of a huge key', () => {
    const key = 'k'.repeat(1_000_000);
    const { errors } = buildHistory([{ name: 'data.js', text: JSON.stringify({ entries: { [key]: 1 } }) }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.length).toBeLessThan(200);
  });
});

describe('dashboard series', () => {
  it('gives runs of one commit their own labels, marks page runs, and keeps each ratio’s CI', () => {
    const page = labResults('2026-04-03T10:00:00.000Z', 2);
    page.environment.memoryMethod = 'mUASM';
    page.scenarios[0]!.comparisons[0]!.ci = [1.6, 2.5];
    const cli = labResults('2026-04-03T12:30:00.000Z', 2);
    cli.environment.memoryMethod = 'cdp';
    const cli2 = labResults('2026-04-03T12:30:00.000Z', 2);
    cli2.environment.memoryMethod = 'cdp';
    cli2.createdAt = '2026-04-03T12:30:00.001Z';
    const withRange = {
      entries: {
        s: [
          run('ccccccc3', '2026-04-03T09:00:00Z', [
            { name: 'connect [json] rust/js time ratio', value: 0.5, unit: 'ratio', range: '[0.45–0.55]' } as never,
          ]),
        ],
      },
    };
    const { history } = buildHistory([
      { name: 'data.js', text: `window.BENCHMARK_DATA = ${JSON.stringify(withRange)}` },
      { name: 'page.json', text: JSON.stringify(page) },
      { name: 'cli.json', text: JSON.stringify(cli) },
      { name: 'cli2.json', text: JSON.stringify(cli2) },
    ]);
    const labels = history.runs.map((r) => r.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toEqual(['ccccccc', 'ccccccc (page)', 'ccccccc 04-03 12:30', 'ccccccc 04-03 12:30 #2']);
    expect(history.runs.map((r) => r.kind)).toEqual(['cli', 'page', 'cli', 'cli']);
    const sub = history.scenarios.find((s) => s.key === 'subscribe-throughput [msgpack]')!;
    // A rate ratio of 2 [1.6–2.5] is time-like 0.5 [0.4–0.625].
    expect(sub.ratioCi['rust/js · chromium']![1]).toEqual([0.4, 0.625]);
    const connect = history.scenarios.find((s) => s.key === 'connect [json]')!;
    expect(connect.ratioCi['rust/js · chromium']![0]).toEqual([0.45, 0.55]);
  });
});

describe('engines', () => {
  const firefox = (createdAt: string, ratio: number) => {
    const r = labResults(createdAt, ratio);
    r.environment.browser = 'Firefox 153.8.0';
    r.environment.userAgent = 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0';
    r.environment.engine = { name: 'firefox', version: '153.8.0', protocol: 'bidi', remote: false };
    return r;
  };

  it('never joins two engines into one line: each engine is its own series, even for one commit', () => {
    const { history } = buildHistory([
      { name: 'c.json', text: JSON.stringify(labResults('2026-04-03T00:00:00.000Z', 2)) },
      { name: 'f.json', text: JSON.stringify(firefox('2026-04-03T00:00:00.000Z', 4)) },
      { name: 'c2.json', text: JSON.stringify(labResults('2026-04-04T00:00:00.000Z', 2)) },
    ]);
    expect(history.runs.map((r) => r.engine)).toEqual(['chromium', 'firefox', 'chromium']);
    const sub = history.scenarios[0]!;
    expect(Object.keys(sub.ratios).sort()).toEqual(['rust/js · chromium', 'rust/js · firefox']);
    expect(sub.ratios['rust/js · chromium']).toEqual([0.5, null, 0.5]);
    expect(sub.ratios['rust/js · firefox']).toEqual([null, 0.25, null]);
    expect(sub.medians['rust · firefox']).toEqual([null, 10000, null]);
  });

  it('older files without an engine: Chrome/Chromium in the user agent is chromium, else the browser', () => {
    const old = labResults('2026-04-03T00:00:00.000Z', 2);
    const page = firefox('2026-04-04T00:00:00.000Z', 2);
    delete page.environment.engine;
    page.environment.browser = page.environment.userAgent;
    const { history } = buildHistory([
      { name: 'old.json', text: JSON.stringify(old) },
      { name: 'page.json', text: JSON.stringify(page) },
    ]);
    expect(history.runs.map((r) => r.engine)).toEqual(['chromium', 'firefox']);
    // data.js comes from the CI gate, which runs in Chromium.
    const { history: ci } = buildHistory([{ name: 'data.js', text: JSON.stringify(data) }]);
    expect(ci.runs.every((r) => r.engine === 'chromium')).toBe(true);
    expect(seriesName('rust/js', 'firefox')).toBe('rust/js · firefox');
  });

  it('reads a merged file: each run a point in its engine’s series', () => {
    const merged = mergeRuns(
      [
        { name: 'c', value: labResults('2026-04-03T00:00:00.000Z', 2) },
        { name: 'f', value: firefox('2026-04-03T00:05:00.000Z', 4) },
      ],
      new Date('2026-04-03T01:00:00.000Z'),
    );
    const { history, errors } = buildHistory([{ name: 'merged.json', text: JSON.stringify(merged) }]);
    expect(errors).toEqual([]);
    expect(history.runs.map((r) => [r.engine, r.source])).toEqual([
      ['chromium', 'merged.json (run 1)'],
      ['firefox', 'merged.json (run 2)'],
    ]);
    const sub = history.scenarios[0]!;
    expect(sub.ratios['rust/js · chromium']).toEqual([0.5, null]);
    expect(sub.ratios['rust/js · firefox']).toEqual([null, 0.25]);
  });

  it('refuses an invalid merged file whole, naming the run, and keeps the other files', () => {
    const merged = mergeRuns([{ name: 'c', value: labResults('2026-04-03T00:00:00.000Z', 2) }], new Date());
    const bad = { ...merged, runs: [merged.runs[0], { ...merged.runs[0], createdAt: 7 }] };
    const { history, errors } = buildHistory([
      { name: 'bad-merged.json', text: JSON.stringify(bad) },
      { name: 'ok.json', text: JSON.stringify(labResults('2026-04-05T00:00:00.000Z', 2)) },
    ]);
    expect(errors).toEqual([
      expect.stringMatching(/^bad-merged\.json: not a valid merged lab file: merged\.runs\[1\]: results\.createdAt/),
    ]);
    expect(history.runs).toHaveLength(1);
  });
});
