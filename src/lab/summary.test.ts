import { describe, expect, it } from 'vitest';
import { scenarioHeadline } from './headline';
import { buildResults, emptyArmRecord, type ScenarioRecord } from './report';
import { type LabResultsV1, validateResults } from './results';
import { SCENARIOS } from './scenarios/index';
import { compactTable, markdownDetails, markdownSummary, resultsTable, SUMMARY_MAX_BYTES } from './summary';

/** Deterministic noise (the values only need to look like a run). */
function noise(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return 0.95 + (x / 2147483648) * 0.1;
  };
}

/**
 * The largest output a run makes: every scenario, JSON and msgpack, three arms, built through
 * the runner's own report code; one scenario failed with a long reason, one skipped, as in real runs.
 */
function fullRun(): LabResultsV1 {
  const rnd = noise(7);
  const records: ScenarioRecord[] = [];
  for (const protocol of ['json', 'msgpack'] as const)
    for (const { meta } of SCENARIOS) {
      const failed = meta.id === 'subscribe-throughput' && protocol === 'msgpack';
      const skipped = meta.id === 'rest-publish-batch10-10000';
      const base = meta.unit === 'bytes' ? 300_000 : meta.unit === 'ms' ? 2.4 : 12_345;
      const factor: Record<string, number> = { rust: meta.unit === 'bytes' ? 0.08 : 1.09, js: 1, raw: 0.6 };
      const rec: ScenarioRecord = {
        meta,
        protocol,
        status: failed ? 'failed' : skipped ? 'skipped' : 'ok',
        reason: failed
          ? `integrity violated on js: 2000 lost, 0 duplicated, 0 reordered of 2000 (${'first gaps at 1, 2, 3; '.repeat(8)})`
          : skipped
            ? "10 × 10000 B exceeds Ably's 64 KiB message size limit"
            : null,
        warmupRounds: 1,
        stoppedBy: 'resolved',
        elapsedS: 3,
        arms: {},
        serverCpuMs: meta.id.startsWith('rest-') ? 800 : 300,
        serverWallMs: 1000,
      };
      if (!skipped)
        for (const id of ['rust', 'js', 'raw']) {
          const values = Array.from({ length: failed ? 0 : 8 }, () => base * factor[id]! * rnd());
          rec.arms[id] = {
            ...emptyArmRecord(),
            values,
            latency:
              meta.unit === 'ms'
                ? values.map((v) => ({ p50: v, p95: v * (id === 'rust' ? 3 : 2), p99: v * (id === 'rust' ? 5 : 3) }))
                : [],
            cpuPerMsg: meta.unit === 'msg/s' ? values.map(() => 20 * factor[id]! * rnd()) : [],
            memory:
              meta.unit === 'bytes'
                ? values.map((v) => ({
                    jsHeapUsed: v * 0.1,
                    backing: 0,
                    wasmLinear: 0,
                    wasmLive: v * 0.9,
                    total: v,
                    mUASM: null,
                  }))
                : [],
          };
        }
      records.push(rec);
    }
  return buildResults({
    createdAt: new Date('2026-11-30T12:00:00Z'),
    durationS: 170,
    config: {
      quick: true,
      aa: false,
      budgetS: 180,
      scenarios: SCENARIOS.map((s) => s.meta.id),
      protocols: ['json', 'msgpack'],
      endpoint: { kind: 'local', host: '127.0.0.1', port: 1234, tls: false },
      equivalenceMargin: 0.02,
      confidence: 0.95,
    },
    environment: {
      userAgent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
      browser: 'Chromium 156.0.8078.108',
      cores: 2,
      crossOriginIsolated: true,
      timerGranularityUs: 5,
      gitCommit: '0123456789abcdef0123456789abcdef01234567',
      gitDirty: false,
      memoryMethod: 'cdp',
      cpuMethod: 'proc',
      notes: ['2 CPUs; load average at the start 1.20 1.10 0.90'],
    },
    arms: ['rust', 'js', 'raw'].map((id) => ({
      id,
      sdk: id as 'rust',
      workers: [
        { protocol: 'json', sdkVersion: '1', crossOriginIsolated: true, timerGranularityUs: 5, scriptUrl: `/${id}.js` },
      ],
    })),
    armList: ['rust', 'js', 'raw'].map((id) => ({ id, sdk: id as 'rust' })),
    records,
  });
}

const PERMALINK = `https://ably.github.io/sdk-lab/#r1.${'A'.repeat(15_000)}`;

describe('the default outputs answer at a glance and fit', () => {
  const r = fullRun();

  it('the fixture is a valid run', () => {
    const v = validateResults(JSON.parse(JSON.stringify(r)));
    expect(v.ok ? [] : v.errors).toEqual([]);
  });

  it('the CLI table keeps every line within 100 columns and names each scenario, verdict and claim', () => {
    const text = compactTable(r);
    const long = text.split('\n').filter((l) => [...l].length > 100);
    expect(long).toEqual([]);
    for (const s of r.scenarios) expect(text).toContain(s.id);
    expect(text).toMatch(/^scenario +rust +js +rust vs js \[CI\] +verdict +claim$/m);
    expect(text).toMatch(
      /^publish-ack-latency +2\.\d+ ms +2\.\d+ ms +\d+% slower \[[^\]]+\] +(slower|unsure)\*? +(fails|unsure)$/m,
    );
    expect(text).toContain('subscribe-throughput: FAILED: integrity violated on js');
    expect(text).toMatch(/^rust vs js: .*; claims: .*\d+ fail/m);
    // The full grid is still there for --verbose (and wider).
    expect(
      resultsTable(r)
        .split('\n')
        .some((l) => l.length > 100),
    ).toBe(true);
  });

  it('the Markdown summary is ≤ 8 KB of text, carries the headline, and links only to a page that opens', () => {
    const md = markdownSummary(r, PERMALINK);
    const text = md.replace(PERMALINK, '');
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(md).toContain(`(${PERMALINK})`);
    const local = markdownSummary(r, 'http://127.0.0.1:39999/#r1.abc');
    expect(local).not.toContain('127.0.0.1');
    expect(md).toContain('**1 of 38 scenarios failed**');
    expect(markdownDetails(r, PERMALINK).length).toBeGreaterThan(text.length);
  });

  it('page, CLI and Markdown say the same change for a scenario, and the claim cell shows no other number', () => {
    const s = r.scenarios.find((x) => x.id === 'memory-1000-channels')!;
    const h = scenarioHeadline(s);
    expect(h.text).toMatch(/^rust uses \d+% less memory \[\d+–\d+%\]$/);
    const short = h.change.replace('uses ', '').replace(' memory', '');
    expect(compactTable(r)).toContain(short);
    expect(markdownSummary(r)).toContain(short);
    expect(resultsTable(r)).toContain(`rust vs js ${h.change}`);
    // Claim cells: a status and its target, never a ratio of their own.
    const grid = resultsTable(r)
      .split('\n')
      .find((l) => l.startsWith('memory-1000-channels '))!;
    expect(grid).toContain('holds (≥50% less memory)');
    expect(grid).not.toMatch(/0\.\d+ \[/);
  });

  it('shows each stream pair’s worker CPU per message beside its wall-time change', () => {
    const grid = resultsTable(r)
      .split('\n')
      .find((l) => l.startsWith('subscribe-throughput-batch10 '))!;
    expect(grid).toMatch(/rust vs js \S+% \w+ \[[^\]]+\] → \w+ \(CPU\/msg ×1\.\d+ \[\d\.\d+–\d\.\d+\]\)/);
  });

  it('names the engine in the CLI tables and the Markdown headers; a file without one, by its browser', () => {
    const firefox: LabResultsV1 = {
      ...r,
      environment: {
        ...r.environment,
        browser: 'Firefox 153.8.0',
        engine: { name: 'firefox', version: '153.8.0', protocol: 'bidi', remote: true },
      },
    };
    expect(compactTable(firefox).split('\n')[0]).toBe(
      'Firefox 153.8 (BiDi, remote) · 2 cores · crossOriginIsolated=true · timer 5 µs',
    );
    expect(resultsTable(firefox).split('\n')[0]).toMatch(/^Firefox 153\.8 \(BiDi, remote\) · /);
    expect(markdownSummary(firefox).split('\n')[0]).toBe('## Ably SDK Lab — Firefox 153.8 (BiDi, remote) — quick run');
    expect(markdownDetails(firefox).split('\n')[0]).toBe('## Ably SDK Lab — Firefox 153.8 (BiDi, remote) — quick run');
    expect(markdownSummary(r).split('\n')[0]).toBe('## Ably SDK Lab — Chromium 156.0.8078.108 — quick run');
    expect(compactTable(r).split('\n')[0]).toMatch(/^Chromium 156\.0\.8078\.108 · 2 cores/);
  });

  it('a skipped scenario whose rust arm exists does not claim "no rust arm"', () => {
    const text = resultsTable(r);
    expect(text).not.toContain('no rust arm');
    expect(text).toContain('n/a (scenario skipped)');
  });
});
