/**
 * Core pinning (docs/method.md#where-the-per-round-noise-comes-from-and-core-pinning): on a Linux machine with two or more CPUs, the local
 * server (this process) gets CPU 0 and the browser every other CPU, through `taskset`.
 *
 * Why: the lab's timing scenarios showed per-round noise that the paired design could not cancel
 * (the two arms' rounds were uncorrelated: the noise came from where the scheduler put the server
 * and the browser's threads in each round, not from the machine drifting). On the 2-core machine
 * this repository is measured on, pinning cut the spread of A/A log-ratios 2–5× for latency and
 * throughput (publish→ACK: 0.19–0.22 → 0.04–0.05), so a quick run resolves ~5% where it resolved
 * ~20%. The price: the browser's processes share fewer cores, so absolute throughput is lower
 * than unpinned; ratios between arms stay comparable because every arm runs under the same plan.
 * `--no-pin` turns it off; the results' notes say which plan a run used.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

/** CPU lists in `taskset -c` syntax. */
export interface CorePlan {
  server: string;
  browser: string;
}

/** The plan for this machine, or why there is none. */
export function planCores(cpus: number, platform: string, hasTaskset: boolean): CorePlan | { none: string } {
  if (platform !== 'linux') return { none: `core pinning needs Linux (this is ${platform})` };
  if (cpus < 2) return { none: 'core pinning needs 2 CPUs or more' };
  if (!hasTaskset) return { none: 'core pinning needs taskset (util-linux)' };
  return { server: '0', browser: cpus === 2 ? '1' : `1-${cpus - 1}` };
}

export function hasTaskset(): boolean {
  return spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** The plan of this machine (`planCores` with what this process sees). */
export function machinePlan(): CorePlan | { none: string } {
  return planCores(availableParallelism(), process.platform, hasTaskset());
}

/** Pins every thread of this process (the local server, the CLI) to the plan's server CPUs. */
export function pinThisProcess(plan: CorePlan): void {
  const r = spawnSync('taskset', ['-a', '-p', '-c', plan.server, String(process.pid)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`taskset could not pin this process to CPU ${plan.server}: ${r.stderr.trim()}`);
}

/**
 * An executable that starts `path` on `cpus` (a launcher script: Playwright takes an executable
 * path, not a command line). Every process the browser starts inherits the CPU set.
 */
export function pinnedExecutable(path: string, cpus: string): string {
  const script = join(mkdtempSync(join(tmpdir(), 'lab-pinned-')), 'browser');
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  writeFileSync(script, `#!/bin/sh\nexec taskset -c ${quote(cpus)} ${quote(path)} "$@"\n`);
  chmodSync(script, 0o755);
  return script;
}

/** The line the results' notes carry. */
export function planNote(plan: CorePlan | { none: string }): string {
  return 'none' in plan
    ? `cores not pinned: ${plan.none}`
    : `cores pinned (taskset): local server on CPU ${plan.server}, browser on CPU ${plan.browser}; --no-pin to let them share`;
}
