import { describe, expect, it } from 'vitest';
import { harnessOptions, harnessPage, parseSlowdown, testHarnessPage } from './test-harness';

describe('the CLI test harness contract', () => {
  it('parses SDK=factor lists and rejects nonsense', () => {
    expect(parseSlowdown('js=1.5')).toEqual({ js: 1.5 });
    expect(parseSlowdown('js=2, raw=1.25')).toEqual({ js: 2, raw: 1.25 });
    expect(() => parseSlowdown('js=1')).toThrow(/1 < FACTOR/);
    expect(() => parseSlowdown('js')).toThrow(/ARM=FACTOR/);
    // A test arm wraps the first copy of an SDK; the second copy of an A/A run stays production.
    expect(() => parseSlowdown("js'=2")).toThrow(/one of rust, js, raw/);
  });

  it('hands the options to the harness page in its URL, and only for test flags', () => {
    const page = harnessPage({ slowdown: { js: 2 }, fault: { scenario: 'connect', discard: 3 } });
    expect(page.startsWith('/e2e/harness/runner.html?test=')).toBe(true);
    expect(harnessOptions(new URL(page, 'http://x').search)).toEqual({
      slowdown: { js: 2 },
      fault: { scenario: 'connect', discard: 3 },
    });
    expect(harnessOptions('')).toEqual({});
    expect(testHarnessPage({ testSlowdown: undefined, testFault: undefined })).toBeUndefined();
    expect(testHarnessPage({ testSlowdown: { raw: 2 }, testFault: undefined })).toBe(
      harnessPage({ slowdown: { raw: 2 } }),
    );
  });
});
