import { describe, expect, it } from 'vitest';
import { FULL_BUDGET_S, QUICK_BUDGET_S } from '../lab/defaults';
import { parseCli } from './args';

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
});
