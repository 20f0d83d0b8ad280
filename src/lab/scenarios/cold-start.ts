/** Cold start: spawn a fresh worker, load the SDK (fetch + compile/instantiate), connect; bundle size raw and gzip. */
import type { ColdStartScenario } from './scenario';

export const coldStart: ColdStartScenario = {
  kind: 'cold-start',
  meta: {
    id: 'cold-start',
    title: 'Cold start (spawn → SDK loaded → connected)',
    group: 'cold-start',
    unit: 'ms',
    better: 'lower',
    claim: 'speed',
    description:
      'From `new Worker()` in the page to the first `connected`: worker script, ' +
      'SDK module fetch + compile/instantiate, client connect. ' +
      'The CLI clears the HTTP cache (and the JS/wasm code caches kept in it) before every sample, ' +
      'so each one fetches and compiles like a first visit; ' +
      'in the lab page the cache stays warm after the first spawn; ' +
      'bundle = every script/wasm the worker fetched, raw and gzip.',
  },
  sizes: { full: { ops: 1, size: 0, batch: 1 }, quick: { ops: 1, size: 0, batch: 1 } },
  weight: 0.7,
};
