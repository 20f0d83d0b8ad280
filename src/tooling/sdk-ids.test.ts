import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SDK_KINDS } from '../lab/types';

/**
 * One id per SDK (`SDK_KINDS`: the arm ids, and the `sdk` field of results files) names all of
 * its code: the adapter module and the `sdk` it reports, the worker entries (and the A/A copy's),
 * and the test harness's test arm.
 */
const root = resolve(__dirname, '../..');
const read = (f: string) => (existsSync(resolve(root, f)) ? readFileSync(resolve(root, f), 'utf8') : `${f} missing`);

describe('one id per SDK', () => {
  it.each(SDK_KINDS)('%s: adapter, worker entries and test arm carry the same id', (id) => {
    expect(read(`src/sdk-adapters/${id}.ts`)).toContain(`sdk: '${id}'`);
    for (const [entry, serve] of [
      [`src/workers/${id}.worker.ts`, 'serveArm'],
      [`src/workers/${id}-b.worker.ts`, 'serveArm'],
      [`e2e/harness/test-${id}.worker.ts`, 'serveTestArm'],
    ] as const) {
      const text = read(entry);
      expect(text, entry).toContain(`sdk-adapters/${id}'`);
      expect(text, entry).toContain(`${serve}('${id}', load)`);
    }
  });
});
