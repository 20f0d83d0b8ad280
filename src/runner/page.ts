/**
 * The page the headless CLI opens (dist/runner/runner.html): no UI, it exposes `window.__lab.run()`
 * over the shared page-side runner. The CLI calls it with Runtime.evaluate (Chromium) or
 * script.evaluate (Firefox, BiDi) on a page Playwright does not instrument
 * (docs/method.md#the-driver-must-not-distort-what-it-times) and answers host requests (memory over CDP,
 * thread CPU from /proc) through `labHost`: a Runtime binding in Chromium, a BiDi channel in Firefox.
 */
import type { HostRequest, LabHost, LabRunConfig } from './contract';
import { runLab } from './runner';

declare global {
  interface Window {
    labHost?: (msg: string) => void;
    __labHostReply?: (id: number, ok: boolean, value: unknown) => void;
    __lab?: { ready: true; run(config: LabRunConfig): Promise<unknown> };
  }
}

const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
let nextId = 1;

window.__labHostReply = (id, ok, value) => {
  const p = pending.get(id);
  pending.delete(id);
  if (ok) p?.resolve(value);
  else p?.reject(new Error(String(value)));
};

function call<T>(op: Exclude<HostRequest['op'], 'progress'>, ...args: unknown[]): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    window.labHost!(JSON.stringify({ id, op, args }));
  });
}

const host: LabHost = {
  capabilities: () => call('capabilities'),
  readMemory: (url) => call('readMemory', url),
  threadSnapshot: () => call('threadSnapshot'),
  threadIdentify: (arm) => call('threadIdentify', arm),
  threadCpuMs: (arm) => call('threadCpuMs', arm),
  clearCache: () => call('clearCache'),
  environment: () => call('environment'),
};

window.__lab = {
  ready: true,
  run(config) {
    const bound = typeof window.labHost === 'function';
    return runLab(config, {
      ...(bound ? { host } : {}),
      onProgress: (p) => (bound ? window.labHost!(JSON.stringify({ id: 0, op: 'progress', args: [p] })) : undefined),
    });
  },
};

/**
 * Bare mode (the bare-vs-lab check): `runner.html#autorun=<base64url JSON config>` runs with no
 * CDP session attached at all; the result lands in `window.__labResult` and the title and the
 * URL fragment turn `lab-done` (visible in Target.getTargets / browsingContext.getTree without
 * attaching to the page).
 */
declare global {
  interface Window {
    __labResult?: unknown;
  }
}
if (location.hash.startsWith('#autorun=')) {
  const b64 = location.hash.slice('#autorun='.length).replace(/-/g, '+').replace(/_/g, '/');
  const config = JSON.parse(atob(b64)) as LabRunConfig;
  // Done is visible without attaching: the title in CDP's Target.getTargets, the URL's fragment in
  // BiDi's browsingContext.getTree (Firefox).
  const done = (result: unknown) => {
    window.__labResult = result;
    document.title = 'lab-done';
    location.hash = 'lab-done';
  };
  runLab(config).then(done, (e: unknown) => done({ error: String(e) }));
}
