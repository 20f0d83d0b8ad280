import { describe, expect, it } from 'vitest';
import { mergeRuns, runLabels, validateMerged } from './merged';
import type { LabResultsV1 } from './results';

const env = (engine: 'chromium' | 'firefox' | undefined, browser: string) =>
  ({ environment: { browser, ...(engine ? { engine: { name: engine } } : {}) } }) as unknown as LabResultsV1;

describe('merged runs', () => {
  it('refuses an input that is not a results file, naming the input and the path', () => {
    expect(() =>
      mergeRuns([{ name: 'a.json', value: { schemaVersion: 1, tool: 'ably-sdk-lab' } }], new Date()),
    ).toThrow(/^a\.json: results\.createdAt: missing/);
    expect(() => mergeRuns([{ name: 'old.json', value: { schemaVersion: 0 } }], new Date())).toThrow(
      /old\.json: results\.schemaVersion: this lab reads version 1, got 0/,
    );
  });
  it('checks a merged file run by run', () => {
    const v = validateMerged({ tool: 'ably-sdk-lab', kind: 'merged', schemaVersion: 1, mergedAt: 'x', runs: [{}] });
    expect(v.ok).toBe(false);
    if (!v.ok)
      expect(v.errors[0]).toMatch(/^merged\.runs\[0\]: results\.schemaVersion: missing|^merged\.runs\[0\]: results/);
    expect(validateMerged({ kind: 'merged', tool: 'ably-sdk-lab', schemaVersion: 1, mergedAt: 'x', runs: [] }).ok).toBe(
      false,
    );
    expect(validateMerged({ runs: [] }).ok).toBe(false);
  });
  it('refuses a hostile merged file quickly and briefly: too many runs, or a flood of bad ones', () => {
    const envelope = { tool: 'ably-sdk-lab', kind: 'merged', schemaVersion: 1, mergedAt: 'x' };
    const many = validateMerged({ ...envelope, runs: Array.from({ length: 100_000 }, () => ({})) });
    expect(many).toEqual({ ok: false, errors: ['merged.runs: expected at most 64 runs, got 100000'] });
    const bad = validateMerged({ ...envelope, runs: Array.from({ length: 64 }, () => ({})) });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.length).toBeLessThanOrEqual(20);
    expect(validateMerged({ ...envelope, runs: 'x'.repeat(1e6) }).ok).toBe(false);
    expect(validateMerged(null).ok).toBe(false);
  });
  it('labels runs by engine, numbering runs that share one (two machines, one engine)', () => {
    expect(runLabels([env('chromium', 'Chromium 156'), env('firefox', 'Firefox 153')])).toEqual([
      'chromium',
      'firefox',
    ]);
    expect(runLabels([env('chromium', 'C'), env('chromium', 'C'), env(undefined, 'Chromium 150')])).toEqual([
      'chromium #1',
      'chromium #2',
      'Chromium 150',
    ]);
  });
});
