import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../src/cli/chromium.ts';
import { pageHost } from '../src/cli/engines.ts';
import { type LabResultsV1, validateResults } from '../src/lab/results.ts';
import { runLabCli } from './lab-process.ts';

/**
 * `npm run lab -- --browser-endpoint ws://…`: the lab attaches to a Chromium it did not launch —
 * here a second Chromium started on its own with a DevTools port on loopback, standing in for one
 * on another machine, in a container or on a phone — runs there, and leaves that browser running.
 */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function startChromium(
  port: number,
  profile: string,
  pageOrigin: string,
): Promise<{ proc: ChildProcess; ws: string }> {
  const proc = spawn(
    chromiumPath,
    [
      ...chromiumArgs,
      '--headless',
      '--remote-debugging-address=127.0.0.1',
      `--remote-debugging-port=${port}`,
      `--user-data-dir=${profile}`,
      '--js-flags=--expose-gc',
      // The page is served over http from this machine's network address, as for a browser on another
      // machine: allowed as a secure context so it can be cross-origin isolated (README).
      `--unsafely-treat-insecure-origin-as-secure=${pageOrigin}`,
      'about:blank',
    ],
    // Its own process group, so the test can end its helper processes too (stopBrowser).
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let log = '';
  const ws = await new Promise<string>((resolve, reject) => {
    proc.stderr!.on('data', (d: Buffer) => {
      log += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(log);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`chromium exited (${code}):\n${log}`)));
  });
  proc.stderr!.resume();
  return { proc, ws };
}

/**
 * Ends the Chromium and every helper process it started, then removes its profile. Killing the
 * main process alone left helpers writing into the profile for seconds: a clean CI run failed
 * with ENOTEMPTY on the removal, even with retries.
 */
async function stopBrowser(proc: ChildProcess, profile: string): Promise<void> {
  const group = -proc.pid!;
  const signal = (sig: NodeJS.Signals | 0) => {
    try {
      process.kill(group, sig);
      return true;
    } catch {
      return false; // ESRCH: no process of the group is left
    }
  };
  signal('SIGTERM');
  await new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r(null) : proc.once('exit', r)));
  signal('SIGKILL');
  for (let i = 0; i < 100 && signal(0); i++) await new Promise((r) => setTimeout(r, 50));
  rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}

test('lab --browser-endpoint --host 0.0.0.0: a tiny run in a Chromium started elsewhere, which keeps running', async () => {
  test.setTimeout(300_000);
  const profile = mkdtempSync(join(tmpdir(), 'lab-remote-chromium-'));
  const serverPort = await freePort();
  const pageOrigin = `http://${pageHost('0.0.0.0')}:${serverPort}`;
  const { proc, ws } = await startChromium(await freePort(), profile, pageOrigin);
  try {
    const out = join(mkdtempSync(join(tmpdir(), 'lab-remote-')), 'run.json');
    const r = await runLabCli([
      '--quick',
      '--budget',
      '15',
      '--arms',
      'js,raw',
      '--scenarios',
      'publish-ack-latency',
      '--browser-endpoint',
      ws,
      '--host',
      '0.0.0.0',
      '--server-port',
      String(serverPort),
      '--out',
      out,
    ]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    // The page URL is printed, at an address a browser elsewhere can open; the SDKs use the same origin.
    expect(r.stdout).toContain(`page ${pageOrigin}/runner/runner.html`);
    const results = JSON.parse(readFileSync(out, 'utf8')) as LabResultsV1;
    const v = validateResults(results);
    expect(v.ok ? [] : v.errors).toEqual([]);
    expect(results.config.endpoint).toMatchObject({
      kind: 'local',
      host: new URL(pageOrigin).hostname,
      port: serverPort,
    });
    expect(results.environment.crossOriginIsolated).toBe(true);
    expect(results.environment.engine).toMatchObject({ name: 'chromium', protocol: 'cdp', remote: true });
    expect(results.environment.notes.join('\n')).toMatch(/browser attached at ws:\/\/127\.0\.0\.1:\d+/);
    // On loopback the attached browser's process is found by its DevTools port: /proc CPU still works.
    expect(results.environment.cpuMethod).toBe('proc');
    expect(results.environment.memoryMethod).toBe('cdp');
    expect(results.scenarios.map((s) => [s.id, s.status])).toEqual([['publish-ack-latency', 'ok']]);
    // The lab attached and detached: the browser it did not launch is still up.
    expect(proc.exitCode).toBeNull();
    const version = (await (await fetch(`${new URL(ws).origin.replace('ws:', 'http:')}/json/version`)).json()) as {
      Browser: string;
    };
    expect(version.Browser).toMatch(/Chrom/);
  } finally {
    await stopBrowser(proc, profile);
  }
});
