/**
 * CPU around a sample: the arm's worker thread (from /proc, through the CLI host) and the local
 * server's process (its /lab/metrics counter). Runs in the page.
 */
import { THREAD_SPIN_ATTEMPTS, THREAD_SPIN_MS } from '../../lab/defaults';
import type { ClientSetup } from '../../lab/types';
import { basicAuth } from '../../sdk-adapters/adapter';
import type { ArmSlot } from '../arms';
import type { LabHost } from '../contract';

/**
 * Finds the worker's OS thread (CLI only): a busy spin stands out in /proc. The host needs the
 * thread to gain 100 ms of CPU; on a loaded machine a 250 ms spin gets less than that (a quarter
 * of a core at load 8 on 2 cores), so the spin doubles until the thread is found.
 */
export async function identifyThread(host: LabHost, s: ArmSlot): Promise<boolean> {
  for (let attempt = 0; attempt < THREAD_SPIN_ATTEMPTS; attempt++) {
    await host.threadSnapshot();
    await s.api.spin(THREAD_SPIN_MS * 2 ** attempt);
    if (await host.threadIdentify(s.arm.id)) return true;
  }
  return false;
}

/** Server CPU (ms, cumulative) from the local server's /lab/metrics; null against a real endpoint. */
export async function serverCpuMs(setup: ClientSetup): Promise<number | null> {
  if (setup.endpoint.kind !== 'local') return null;
  const { host, port } = setup.endpoint;
  const res = await fetch(`http://${host}:${port}/lab/metrics`, { headers: { authorization: basicAuth(setup.key) } });
  if (!res.ok) return null;
  const m = (await res.json()) as { cpu?: { userMs: number; systemMs: number } };
  return m.cpu ? m.cpu.userMs + m.cpu.systemMs : null;
}
