import { describe, expect, it } from 'vitest';
import { FULL_BUDGET_S, QUICK_BUDGET_S } from '../lab/defaults';
import { DEFAULT_PERMALINK_BASE, parseCli } from './args';

describe('npm run lab arguments', () => {
  it('defaults: full budget, json, same origin, local server', () => {
    const o = parseCli([]);
    expect(o).toMatchObject({
      quick: false,
      budgetS: FULL_BUDGET_S,
      protocols: ['json'],
      crossOrigin: false,
      aa: false,
      endpoint: undefined,
      out: 'results/latest.json',
    });
  });
  it('--quick shortens the budget; lists are split and checked', () => {
    const o = parseCli([
      '--quick',
      '--arms',
      'rust,js',
      '--protocol',
      'json,msgpack',
      '--scenarios',
      'connect,attach',
      '--cross-origin',
    ]);
    expect(o).toMatchObject({
      quick: true,
      budgetS: QUICK_BUDGET_S,
      arms: ['rust', 'js'],
      protocols: ['json', 'msgpack'],
      scenarios: ['connect', 'attach'],
      crossOrigin: true,
    });
  });
  it('rejects unknown values and half-given endpoints with a clear message', () => {
    expect(() => parseCli(['--arms', 'rust,go'])).toThrow(/unknown arm "go"/);
    expect(() => parseCli(['--scenarios', 'nope'])).toThrow(/unknown scenario "nope"/);
    expect(() => parseCli(['--budget', '0'])).toThrow(/--budget must be a positive number/);
    expect(() => parseCli(['--endpoint', 'x.ably.io'])).toThrow(/--endpoint needs --key/);
    expect(() => parseCli(['--key', 'a.b:c'])).toThrow(/go with --endpoint/);
    expect(() => parseCli(['--endpoint', 'h', '--key', 'a.b:c', '--port', '70000'])).toThrow(/--port must be 1..65535/);
  });
  it('--test-fault names a scenario and a discard count', () => {
    expect(parseCli(['--test-fault', 'subscribe-throughput:discard=5000']).testFault).toEqual({
      scenario: 'subscribe-throughput',
      discard: 5000,
    });
    expect(parseCli([]).testFault).toBeUndefined();
    expect(() => parseCli(['--test-fault', 'nope:discard=1'])).toThrow(/unknown scenario "nope"/);
    expect(() => parseCli(['--test-fault', 'connect'])).toThrow(/SCENARIO:discard=N/);
  });
  it('--browser picks engines (chromium by default); --browser-endpoint attaches to one Chromium', () => {
    expect(parseCli([])).toMatchObject({ browsers: ['chromium'], browserEndpoint: undefined, host: '127.0.0.1' });
    expect(parseCli(['--browser', 'chromium,firefox']).browsers).toEqual(['chromium', 'firefox']);
    expect(() => parseCli(['--browser', 'webkit'])).toThrow(/unknown browser "webkit"/);
    const remote = parseCli(['--browser-endpoint', 'ws://10.0.0.2:9222/devtools/browser/x', '--host', '0.0.0.0']);
    expect(remote).toMatchObject({ browserEndpoint: 'ws://10.0.0.2:9222/devtools/browser/x', host: '0.0.0.0' });
    expect(() => parseCli(['--browser-endpoint', '10.0.0.2:9222'])).toThrow(/ws:\/\/ or http:\/\//);
    expect(() => parseCli(['--browser-endpoint', 'ws://h:1/x', '--browser', 'firefox'])).toThrow(/cannot go with/);
    expect(parseCli(['--server-port', '8790']).serverPort).toBe(8790);
    expect(parseCli([]).serverPort).toBe(0);
    expect(() => parseCli(['--server-port', 'x'])).toThrow(/--server-port must be 0..65535/);
  });
  it('suggests the nearest scenario id for a typo', () => {
    expect(() => parseCli(['--scenarios', 'publish-ack-latncy'])).toThrow(/did you mean "publish-ack-latency"\?/);
    expect(() => parseCli(['--scenarios', 'zzzzzzzz'])).not.toThrow(/did you mean/);
  });
  it("permalinks open in a configurable page, never the run's temporary server", () => {
    const saved = process.env.LAB_PERMALINK_BASE;
    try {
      delete process.env.LAB_PERMALINK_BASE;
      expect(parseCli([]).permalinkBase).toBe(DEFAULT_PERMALINK_BASE);
      process.env.LAB_PERMALINK_BASE = 'https://ably.github.io/sdk-lab/lab/';
      expect(parseCli([]).permalinkBase).toBe('https://ably.github.io/sdk-lab/lab/');
      expect(parseCli(['--permalink-base', 'http://localhost:4173/']).permalinkBase).toBe('http://localhost:4173/');
      expect(() => parseCli(['--permalink-base', 'ftp://x/'])).toThrow(/http\(s\) URL/);
      expect(() => parseCli(['--permalink-base', 'http://x/#r1.abc'])).toThrow(/#hash/);
    } finally {
      if (saved === undefined) delete process.env.LAB_PERMALINK_BASE;
      else process.env.LAB_PERMALINK_BASE = saved;
    }
  });
});
