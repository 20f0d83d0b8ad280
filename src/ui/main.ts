import * as Comlink from 'comlink';
import { timerGranularityUs } from '../lab/timer';
import type { ProbeReport, ProbeWorkerApi } from '../workers/contract';

/** Sets an element's text (never HTML: values may come from elsewhere later). */
function text(id: string, value: string): void {
  const el = document.getElementById(id);
  if (el) el.textContent = value;
}

function startProbe(worker: Worker): Promise<ProbeReport> {
  return new Promise((resolve, reject) => {
    worker.addEventListener('error', (e) => reject(new Error(`worker failed to load: ${e.message || 'no details (missing COEP header?)'}`)));
    Comlink.wrap<ProbeWorkerApi>(worker).probe().then(resolve, reject);
  });
}

function addRow(r: ProbeReport): void {
  const tbody = document.querySelector('#workers tbody')!;
  const tr = document.createElement('tr');
  tr.dataset.sdk = r.sdk;
  for (const cell of [r.sdk, r.sdkVersion, String(r.crossOriginIsolated), `${r.timerGranularityUs.toFixed(1)} µs`, `${r.loadMs.toFixed(1)} ms`, r.computed]) {
    const td = document.createElement('td');
    td.textContent = cell;
    tr.append(td);
  }
  tbody.append(tr);
}

async function main(): Promise<void> {
  const pageTimer = timerGranularityUs(() => performance.now());
  text('env-browser', navigator.userAgent);
  text('env-cores', String(navigator.hardwareConcurrency));
  text('env-isolated', String(self.crossOriginIsolated));
  text('env-timer', `${pageTimer.toFixed(1)} µs`);
  if (!self.crossOriginIsolated || pageTimer > 20) {
    const banner = document.getElementById('isolation-banner')!;
    banner.hidden = false;
    banner.textContent = 'Warning: the page is not cross-origin isolated or its timer is coarse; timings would be unreliable.';
  }

  const workers = [
    new Worker(new URL('../workers/rust-probe.worker.ts', import.meta.url), { type: 'module', name: 'rust-probe' }),
    new Worker(new URL('../workers/ablyjs-probe.worker.ts', import.meta.url), { type: 'module', name: 'ablyjs-probe' }),
  ];
  const results = await Promise.allSettled(workers.map(startProbe));
  const reports: ProbeReport[] = [];
  const errors: string[] = [];
  for (const r of results) {
    if (r.status === 'fulfilled') {
      reports.push(r.value);
      addRow(r.value);
    } else errors.push(String(r.reason));
  }
  const summary = { page: { crossOriginIsolated: self.crossOriginIsolated, timerGranularityUs: pageTimer }, workers: reports, errors };
  (globalThis as unknown as { __probe: unknown }).__probe = summary;
  text('status', errors.length ? `Errors: ${errors.join('; ')}` : `Both workers answered.`);
  document.body.dataset.ready = errors.length ? 'error' : 'ok';
}

main().catch((e: unknown) => {
  text('status', `Error: ${String(e)}`);
  document.body.dataset.ready = 'error';
});
