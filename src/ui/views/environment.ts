/**
 * Environment panel: browser, cores, isolation and timer of the page, and — from the SDK arms'
 * own workers, greeted once and closed (what runs is what is described) — each SDK's version,
 * isolation, timer and load time.
 * Publishes `globalThis.__probe` (e2e/probe.spec.ts) and a warning banner when timings would be
 * unreliable.
 */
import * as Comlink from 'comlink';
import { browserName } from '../../lab/engine';
import { timerGranularityUs } from '../../lab/timer';
import { ARM_SCRIPTS, spawn } from '../../runner/arms';
import type { SdkKind } from '../../lab/types';
import type { ArmHello, ArmWorkerApi } from '../../workers/arm-contract';
import { byId, h, setText } from '../dom';

export interface ProbeSummary {
  page: { crossOriginIsolated: boolean; timerGranularityUs: number };
  workers: ArmHello[];
  errors: string[];
}

/** The SDKs the panel describes (raw is the floor, not an SDK). */
const DESCRIBED: readonly SdkKind[] = ['rust', 'js'];

async function greet(sdk: SdkKind): Promise<ArmHello> {
  const { worker, failed } = spawn(new URL(ARM_SCRIPTS[sdk]!, location.href).href, `environment-${sdk}`);
  try {
    return await Promise.race([Comlink.wrap<ArmWorkerApi>(worker).hello(), failed]);
  } finally {
    worker.terminate();
  }
}

function addRow(r: ArmHello): void {
  const cells = [
    r.sdk,
    r.sdkVersion,
    String(r.crossOriginIsolated),
    `${r.timerGranularityUs.toFixed(1)} µs`,
    `${r.loadMs.toFixed(1)} ms`,
  ];
  byId('workers')
    .querySelector('tbody')!
    .append(h('tr', { 'data-sdk': r.sdk }, ...cells.map((c) => h('td', {}, c))));
}

export async function probeEnvironment(): Promise<ProbeSummary> {
  const pageTimer = timerGranularityUs(() => performance.now());
  setText('env-browser', navigator.userAgent);
  setText('env-cores', String(navigator.hardwareConcurrency));
  setText('env-isolated', String(self.crossOriginIsolated));
  setText('env-timer', `${pageTimer.toFixed(1)} µs`);
  const warnings: string[] = [];
  if (!self.crossOriginIsolated) warnings.push('the page is not cross-origin isolated (COOP/COEP headers missing)');
  if (pageTimer > 20) warnings.push(`the timer is coarse (${pageTimer.toFixed(0)} µs steps)`);

  const settled = await Promise.allSettled(DESCRIBED.filter((sdk) => ARM_SCRIPTS[sdk]).map(greet));
  const reports: ArmHello[] = [];
  const errors: string[] = [];
  for (const r of settled) {
    if (r.status === 'fulfilled') {
      reports.push(r.value);
      addRow(r.value);
      if (!r.value.crossOriginIsolated) warnings.push(`the ${r.value.sdk} worker is not cross-origin isolated`);
    } else errors.push(String(r.reason));
  }
  setText('env-sdks', reports.map((r) => `${r.sdk} ${r.sdkVersion}`).join(' · ') || '–');
  setText(
    'env-summary',
    [
      browserName(navigator.userAgent),
      `${navigator.hardwareConcurrency} cores`,
      self.crossOriginIsolated ? 'isolated' : 'NOT isolated',
      `timer ${pageTimer.toFixed(0)} µs`,
      ...reports.map((r) => `${r.sdk} ${r.sdkVersion}`),
    ].join(' · '),
  );
  if (warnings.length || errors.length) {
    const banner = byId('isolation-banner');
    banner.hidden = false;
    banner.textContent = `Warning: ${[...warnings, ...errors].join('; ')}. Timings would be unreliable.`;
  }
  const summary: ProbeSummary = {
    page: { crossOriginIsolated: self.crossOriginIsolated, timerGranularityUs: pageTimer },
    workers: reports,
    errors,
  };
  (globalThis as unknown as { __probe: ProbeSummary }).__probe = summary;
  setText('status', errors.length ? `Errors: ${errors.join('; ')}` : 'Both workers answered.');
  document.body.dataset.ready = errors.length ? 'error' : 'ok';
  return summary;
}
