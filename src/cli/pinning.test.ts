import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hasTaskset, pinnedExecutable, planCores, planNote } from './pinning';

describe('core pinning', () => {
  it('gives the server CPU 0 and the browser the others, on Linux with 2+ CPUs and taskset', () => {
    expect(planCores(2, 'linux', true)).toEqual({ server: '0', browser: '1' });
    expect(planCores(8, 'linux', true)).toEqual({ server: '0', browser: '1-7' });
  });

  it('says why there is no plan', () => {
    expect(planCores(1, 'linux', true)).toEqual({ none: 'core pinning needs 2 CPUs or more' });
    expect(planCores(4, 'darwin', true)).toEqual({ none: 'core pinning needs Linux (this is darwin)' });
    expect(planCores(4, 'linux', false)).toEqual({ none: 'core pinning needs taskset (util-linux)' });
    expect(planNote({ none: 'core pinning needs 2 CPUs or more' })).toBe(
      'cores not pinned: core pinning needs 2 CPUs or more',
    );
  });

  it('the launcher runs its program on the given CPUs (Linux, taskset)', () => {
    expect(hasTaskset()).toBe(true);
    // A real process through the launcher: its own affinity, as the kernel reports it.
    const launcher = pinnedExecutable('/bin/sh', '0');
    const r = spawnSync(launcher, ['-c', 'taskset -p $$'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/current affinity mask: 1\s*$/);
  });
});
