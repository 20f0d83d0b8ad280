/**
 * Per-thread CPU time of the browser's worker threads from Linux /proc: `schedstat`'s first field
 * is the time the thread spent on a CPU, in ns (Documentation/scheduler/sched-stats.rst), finer
 * than `stat`'s 10 ms ticks. The SDK worker's thread is found by a spin: the page makes the
 * worker busy-loop ~250 ms, and the worker thread whose CPU jumped most is it. Worker threads are
 * named `DedicatedWorker…` in Chromium and `DOM Worker` in Firefox (`/proc/<pid>/task/<tid>/comm`).
 */
import { readdirSync, readFileSync } from 'node:fs';

interface ThreadRef {
  pid: number;
  tid: number;
}

const read = (p: string): string | undefined => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * The Chromium browser process: the one whose command line carries `marker` (our unique
 * `--lab-run=<tag>` switch, or an attached browser's `--remote-debugging-port=N`) and is not one
 * of its child processes (`--type=renderer`, …).
 */
export function findBrowserPid(marker: string): number | undefined {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const cmd = read(`/proc/${d}/cmdline`)?.split('\0');
    if (cmd?.includes(marker) && !cmd.some((a) => a.startsWith('--type='))) return Number(d);
  }
  return undefined;
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const stat = read(`/proc/${d}/stat`);
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(d));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

export function threadCpuNs(t: ThreadRef): number | undefined {
  const s = read(`/proc/${t.pid}/task/${t.tid}/schedstat`);
  return s ? Number(s.split(' ')[0]) : undefined;
}

export class WorkerThreads {
  private snapshot = new Map<string, number>();
  private readonly arms = new Map<string, ThreadRef>();

  constructor(
    private readonly browserPid: number,
    /** Thread name prefix of the engine's web workers: `DedicatedWorker` (Chromium), `DOM Worker` (Firefox). */
    private readonly threadPrefix: string,
  ) {}

  private workerThreads(): ThreadRef[] {
    const out: ThreadRef[] = [];
    for (const pid of descendants(this.browserPid)) {
      let tids: string[];
      try {
        tids = readdirSync(`/proc/${pid}/task`);
      } catch {
        continue;
      }
      for (const t of tids)
        if (read(`/proc/${pid}/task/${t}/comm`)?.startsWith(this.threadPrefix)) out.push({ pid, tid: Number(t) });
    }
    return out;
  }

  takeSnapshot(): void {
    this.snapshot = new Map(this.workerThreads().map((t) => [`${t.pid}/${t.tid}`, threadCpuNs(t) ?? 0]));
  }

  /** After the arm's worker spun: the thread with the largest CPU jump (≥ 100 ms) is the arm's. */
  identify(arm: string): boolean {
    let best: ThreadRef | undefined;
    let bestDelta = 0;
    for (const t of this.workerThreads()) {
      const before = this.snapshot.get(`${t.pid}/${t.tid}`);
      if (before === undefined) continue;
      const d = (threadCpuNs(t) ?? 0) - before;
      if (d > bestDelta) {
        bestDelta = d;
        best = t;
      }
    }
    if (!best || bestDelta < 100e6) return false;
    this.arms.set(arm, best);
    return true;
  }

  cpuMs(arm: string): number | null {
    const t = this.arms.get(arm);
    const ns = t ? threadCpuNs(t) : undefined;
    return ns === undefined ? null : ns / 1e6;
  }
}
