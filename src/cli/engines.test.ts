import { describe, expect, it } from 'vitest';
import type { LabResultsV1, ScenarioV1 } from '../lab/results';
import { engineComparison, pageHost, perEngineOut } from './engines';

const scenario = (id: string, ratio: number, status: ScenarioV1['status'] = 'ok'): Partial<ScenarioV1> => ({
  id,
  protocol: 'json',
  better: 'lower',
  status,
  comparisons:
    status === 'ok'
      ? [
          {
            candidate: 'rust',
            reference: 'js',
            ratio,
            ci: [ratio * 0.9, ratio * 1.1],
            n: 4,
            method: 't-log-ratio',
            verdict: 'unsure',
          },
        ]
      : [],
});

const run = (engine: 'chromium' | 'firefox', scenarios: Partial<ScenarioV1>[]) =>
  ({
    environment: {
      browser: engine === 'chromium' ? 'Chromium 156' : 'Firefox 153.8.0',
      crossOriginIsolated: true,
      timerGranularityUs: engine === 'chromium' ? 5 : 20,
      memoryMethod: engine === 'chromium' ? 'cdp' : 'none',
      cpuMethod: 'proc',
      engine: { name: engine, version: '1', protocol: engine === 'chromium' ? 'cdp' : 'bidi', remote: false },
    },
    scenarios,
  }) as unknown as LabResultsV1;

describe('runs over several engines', () => {
  it('puts rust/js of each engine side by side, saying what an engine skipped or did not run', () => {
    const text = engineComparison([
      run('chromium', [scenario('connect', 0.8), scenario('memory-idle-client', 0.1)]),
      run('firefox', [scenario('connect', 0.7), scenario('memory-idle-client', 0, 'skipped')]),
    ]);
    const lines = text.split('\n');
    expect(lines.find((l) => l.startsWith('connect'))).toMatch(/0\.800 \[0\.720, 0\.880\] unsure\s+0\.700/);
    expect(lines.find((l) => l.startsWith('memory-idle-client'))).toMatch(/0\.100 .*skipped/);
    expect(text).toContain('firefox: Firefox 153.8.0, bidi, crossOriginIsolated=true, timer 20.0 µs, memory via none');
  });
  it('names each engine its own results file', () => {
    expect(perEngineOut('results/latest.json', 'firefox')).toBe('results/latest.firefox.json');
  });
  it('a loopback or named --host is used as given; a wildcard becomes a real address', () => {
    expect(pageHost('127.0.0.1')).toBe('127.0.0.1');
    expect(pageHost('lab.example')).toBe('lab.example');
    expect(pageHost('0.0.0.0')).not.toBe('0.0.0.0');
  });
});
