/**
 * The lab page: environment panel, setup, Run/Stop with live progress, results (table, claims,
 * charts), Share/Export/Import; and, when the URL carries a permalink hash, a read-only view of
 * those results with "run this yourself". Data is only ever rendered as text.
 */
import { isMerged, type LabMergedV1 } from '../lab/merged';
import type { LabResultsV1 } from '../lab/results';
import { SCENARIOS } from '../lab/scenarios/index';
import type { Endpoint } from '../lab/types';
import { availableArms, runLab } from '../runner/runner';
import { byId, setText } from './dom';
import { download, fileStem, mergedCsv, toCsv, toJson } from './export';
import { type Opened, openFile, openHash, shareLink, wireDrop } from './share';
import { probeEnvironment } from './views/environment';
import { ProgressView } from './views/progress';
import { renderMerged, renderResults } from './views/results';
import { applyChoice, buildSetup, estimateText, readSetup, savePrefs } from './views/setup';

interface LocalConfig {
  key: string;
  upstream: string;
}

/** What the results section shows: one run, or a merged file of several (each run in turn). */
let current: LabResultsV1 | LabMergedV1 | undefined;
let running = false;
let stopRequested = false;
/** The local server's key: memory only (never stored, never in results or links). */
let local: LocalConfig | undefined;

const form = () => byId<HTMLFormElement>('setup-form');

function showError(message: string): void {
  const el = byId('link-error');
  el.hidden = false;
  el.textContent = message;
}

function show(r: LabResultsV1 | LabMergedV1, source: string, scroll = false): void {
  current = r;
  if (isMerged(r)) renderMerged(byId('results'), r as LabMergedV1);
  else renderResults(byId('results'), r as LabResultsV1);
  byId('results-section').hidden = false;
  setText('results-source', source);
  byId('share-output').hidden = true;
  // Results appear below the fold: bring them into view (a shared link opens on them anyway).
  if (scroll) byId('results-section').scrollIntoView({ block: 'start' });
}

/** The value an opened link or file holds: one run, or a merged file. */
function opened(o: Extract<Opened, { ok: true }>): LabResultsV1 | LabMergedV1 {
  return 'merged' in o ? o.merged : o.results;
}

/** The run's time bound beside the Run button, kept current as the form changes. */
function updateEstimate(): void {
  try {
    setText('run-estimate', estimateText(readSetup(form()).choice));
  } catch {
    setText('run-estimate', '');
  }
}

/** Read-only mode: a shared link (or imported file) is on screen; setup is hidden until asked. */
function readOnly(on: boolean): void {
  byId('shared-banner').hidden = !on;
  byId('setup').hidden = on;
  byId('progress').hidden = true;
  // A shared run is described by its own environment (in the results); the viewer's would mislead.
  byId('environment').hidden = on;
}

async function openFromHash(): Promise<void> {
  if (!location.hash || location.hash === '#') return;
  const d = await openHash(location.hash);
  if (!d.ok) {
    readOnly(false);
    byId('setup').hidden = true;
    byId('results-section').hidden = true;
    showError(`Cannot open this results link: ${d.error}.`);
    document.body.dataset.view = 'link-error';
    return;
  }
  byId('link-error').hidden = true;
  show(opened(d), `Shared ${'merged' in d ? 'runs' : 'results'} (read-only, from the link)`);
  readOnly(true);
  document.body.dataset.view = 'shared';
}

async function loadLocalConfig(): Promise<void> {
  try {
    const res = await fetch('/lab/local-config', { cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const v = (await res.json()) as Partial<LocalConfig>;
    if (typeof v.key !== 'string') throw new Error('no key');
    local = { key: v.key, upstream: String(v.upstream ?? '') };
    setText('env-server', `local Ably server on this origin (${location.host}, proxied to ${local.upstream})`);
  } catch (e) {
    setText('env-server', `no local server on this origin (${String(e)}); use a real Ably app`);
  }
}

function endpointOf(choice: ReturnType<typeof readSetup>): { endpoint: Endpoint; key: string } {
  const { choice: c, remoteKey } = choice;
  if (c.endpoint.kind === 'remote') {
    if (!c.endpoint.host || !remoteKey) throw new Error('a real Ably app needs a host and an API key');
    return {
      endpoint: { kind: 'remote', host: c.endpoint.host, port: c.endpoint.port, tls: c.endpoint.tls },
      key: remoteKey,
    };
  }
  if (!local) throw new Error('the local server is not reachable from this page (start it with `npm start`)');
  return {
    endpoint: { kind: 'local', host: location.hostname, port: Number(location.port) || 80, tls: false },
    key: local.key,
  };
}

async function run(): Promise<void> {
  if (running) return;
  const status = byId('run-status');
  let setup: ReturnType<typeof readSetup>;
  try {
    setup = readSetup(form());
    if (!setup.choice.scenarios.length) throw new Error('choose at least one scenario');
    if (!setup.choice.arms.length) throw new Error('choose at least one arm');
    if (!setup.choice.protocols.length) throw new Error('choose a protocol');
  } catch (e) {
    status.textContent = String(e instanceof Error ? e.message : e);
    status.className = 'banner error';
    status.setAttribute('role', 'alert');
    form().querySelector<HTMLInputElement>('input[name=scenario]')?.focus();
    return;
  }
  status.className = '';
  status.setAttribute('role', 'status');
  let target: ReturnType<typeof endpointOf>;
  try {
    target = endpointOf(setup);
  } catch (e) {
    status.textContent = String(e instanceof Error ? e.message : e);
    return;
  }
  savePrefs(setup.choice);
  const { choice } = setup;
  setText('env-protocol', choice.protocols.join(', '));
  running = true;
  stopRequested = false;
  byId<HTMLButtonElement>('run').disabled = true;
  byId<HTMLButtonElement>('stop').disabled = false;
  status.textContent = 'Running…';
  const order = SCENARIOS.map((s) => s.meta.id).filter((id) => choice.scenarios.includes(id));
  const view = new ProgressView(
    choice.protocols.flatMap((protocol) => order.map((scenario) => ({ scenario, protocol }))),
  );
  document.body.dataset.run = 'running';
  byId('progress').scrollIntoView({ block: 'start' });
  try {
    const results = await runLab(
      {
        scenarios: order,
        arms: choice.arms,
        protocols: choice.protocols,
        quick: choice.quick,
        budgetS: choice.budgetS,
        endpoint: target.endpoint,
        key: target.key,
      },
      { onProgress: (p) => view.update(p), stopped: () => stopRequested },
    );
    view.finish(`Finished in ${results.durationS.toFixed(0)} s${stopRequested ? ' (stopped)' : ''}.`);
    show(results, stopRequested ? 'This run (stopped early)' : 'This run', true);
    const failed = results.scenarios.filter((s) => s.status === 'failed');
    status.textContent = failed.length
      ? `Done; ${failed.length} of ${results.scenarios.length} scenarios failed: ${failed.map((s) => `${s.id} [${s.protocol}] (${s.reason})`).join('; ')}`
      : 'Done.';
    document.body.dataset.run = 'done';
    document.body.dataset.failedScenarios = String(failed.length);
  } catch (e) {
    status.textContent = `Run failed: ${e instanceof Error ? e.message : String(e)}`;
    view.finish('Run failed.');
    document.body.dataset.run = 'failed';
  } finally {
    running = false;
    byId<HTMLButtonElement>('run').disabled = false;
    byId<HTMLButtonElement>('stop').disabled = true;
  }
}

function wireToolbar(): void {
  byId('share').addEventListener('click', async () => {
    if (!current) return;
    const link = await shareLink(current);
    const out = byId<HTMLInputElement>('share-url');
    byId('share-output').hidden = false;
    if (!link.ok) {
      out.value = '';
      setText('share-size', `No link: ${link.error}.`);
      return;
    }
    out.value = link.url;
    setText('share-size', `${link.url.length} characters`);
    out.select();
    await navigator.clipboard?.writeText(link.url).catch(() => undefined);
  });
  byId('export-json').addEventListener(
    'click',
    () => current && download(`${fileStem(current)}.json`, 'application/json', toJson(current)),
  );
  byId('export-csv').addEventListener(
    'click',
    () =>
      current &&
      download(
        `${fileStem(current)}.csv`,
        'text/csv',
        isMerged(current) ? mergedCsv(current as LabMergedV1) : toCsv(current as LabResultsV1),
      ),
  );
  byId('run-yourself').addEventListener('click', () => {
    // A merged file: its first run's choice (the runs of one matrix share it).
    const first =
      current && isMerged(current) ? (current as LabMergedV1).runs[0] : (current as LabResultsV1 | undefined);
    const c = first?.config;
    history.replaceState(null, '', location.pathname + location.search);
    readOnly(false);
    document.body.dataset.view = 'lab';
    if (c)
      applyChoice(form(), {
        scenarios: c.scenarios,
        protocols: c.protocols,
        quick: c.quick,
        budgetS: c.budgetS,
        ...(first ? { arms: first.arms.map((a) => a.sdk) } : {}),
      });
    byId('run').focus();
  });
  wireDrop(byId('drop-zone'), byId<HTMLInputElement>('import-file'), async (files) => {
    const r = await openFile(files[0]!);
    const msg = byId('import-status');
    if (!r.ok) {
      msg.textContent = `Cannot import ${r.error}`;
      return;
    }
    const value = opened(r);
    const runs = isMerged(value) ? ` (${(value as LabMergedV1).runs.length} runs)` : '';
    msg.textContent = `Imported ${files[0]!.name}${runs}.`;
    show(value, `Imported from ${files[0]!.name}${runs} (read-only)`, true);
  });
}

async function main(): Promise<void> {
  buildSetup(form(), availableArms());
  form().addEventListener('change', updateEstimate);
  form().addEventListener('input', updateEstimate);
  updateEstimate();
  form().addEventListener('submit', (e) => {
    e.preventDefault();
    void run();
  });
  byId('stop').addEventListener('click', () => {
    stopRequested = true;
    byId('run-status').textContent = 'Stopping after the current round…';
  });
  wireToolbar();
  window.addEventListener('hashchange', () => void openFromHash());
  document.body.dataset.view = 'lab';
  await openFromHash();
  await Promise.all([loadLocalConfig(), probeEnvironment()]);
}

main().catch((e: unknown) => {
  setText('status', `Error: ${String(e)}`);
  document.body.dataset.ready = 'error';
});
