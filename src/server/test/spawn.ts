import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Runs `src/server/main.ts` in its own process (its own core), as `npm run server` does. */
export interface SpawnedServer {
  url: string;
  port: number;
  key: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `args` go to main.ts; `extraNodeArgs` to node itself (e.g. `--expose-gc`), after LAB_SERVER_NODE_ARGS. */
export async function spawnServer(args: string[] = [], extraNodeArgs: string[] = []): Promise<SpawnedServer> {
  const main = fileURLToPath(new URL('../main.ts', import.meta.url));
  const nodeArgs = [...(process.env.LAB_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), ...extraNodeArgs]; // e.g. --cpu-prof
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', main, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      lines.push(...parts);
      if (lines.length >= 2) {
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const url = /^listening on (http:\/\/\S+)$/.exec(lines[0]!)?.[1];
  if (!url) throw new Error(`unexpected server output: ${lines.join(' | ')}`);
  return {
    url,
    port: Number(new URL(url).port),
    key: lines[1]!.trim(),
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}
