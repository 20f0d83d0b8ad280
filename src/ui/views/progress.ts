/**
 * Run progress: overall bar with ETA, one line per planned scenario (state, rounds done, current
 * verdict) and a live chart of rounds measured per scenario. If the engine's progress events carry
 * per-arm sample values (`values`, optional), a second live chart plots them as they arrive.
 */
import type { Chart } from 'chart.js';
import { isMemory, namedVerdicts } from '../../lab/headline';
import { scenarioById } from '../../lab/scenarios/index';
import type { Verdict } from '../../lab/types';
import type { LabProgress } from '../../runner/contract';
import { armColor, barChart, chartBox, lineChart } from '../charts';
import { byId, fill, h } from '../dom';

type Progress = LabProgress & { values?: Record<string, number> };

export class ProgressView {
  private readonly items = new Map<string, HTMLLIElement>();
  private readonly keys: string[];
  private readonly rounds: number[];
  private readonly chart: Chart;
  private samples: Chart | undefined;
  private sampleScenario = '';
  /**
   * Per scenario: the last round's verdicts, with the arm ids that name their pairs. Round events
   * carry them; the done event carries none, and the verdict must stay on screen after it.
   */
  private readonly lastVerdicts = new Map<string, { armIds: string[]; verdicts: Verdict[] }>();

  constructor(plan: { scenario: string; protocol: string }[]) {
    this.keys = plan.map((p) => `${p.scenario} [${p.protocol}]`);
    this.rounds = plan.map(() => 0);
    const list = h('ol', { id: 'scenario-states' }, ...this.keys.map((k) => this.item(k)));
    const bar = h('progress', { id: 'overall-progress', max: plan.length, value: 0, 'aria-label': 'overall progress' });
    const live = barChart(
      'live-rounds',
      'Rounds measured per scenario (live)',
      this.keys,
      [{ label: 'rounds', data: [...this.rounds], backgroundColor: '#1d4ed8' }],
      { yTitle: 'rounds' },
    );
    this.chart = live.chart;
    fill(
      byId('progress'),
      h('h2', {}, 'Progress'),
      h('div', { class: 'bar' }, bar, ' ', h('span', { id: 'eta', role: 'status' }, 'starting workers…')),
      list,
      h('div', { class: 'chart-grid', id: 'live-charts' }, chartBox(live, 'chart small')),
    );
    byId('progress').hidden = false;
  }

  private item(k: string): HTMLLIElement {
    const li = h(
      'li',
      { 'data-key': k, 'data-state': 'queued' },
      h('span', { class: 'name' }, k),
      ' ',
      h('span', { class: 'state' }, 'queued'),
    );
    this.items.set(k, li);
    return li;
  }

  /** "rust vs js slower · rust vs raw slower · js vs raw faster" for a scenario's latest round. */
  private verdictText(k: string, scenario: string): string {
    const last = this.lastVerdicts.get(k);
    if (!last?.verdicts.length) return '';
    const meta = scenarioById(scenario)?.meta;
    return namedVerdicts(last.armIds, false, last.verdicts, meta ? isMemory(meta) : false);
  }

  update(p: Progress): void {
    const k = `${p.scenario} [${p.protocol}]`;
    if (p.phase === 'round' && p.verdicts.length)
      this.lastVerdicts.set(k, { armIds: Object.keys(p.values ?? {}), verdicts: p.verdicts });
    const li = this.items.get(k);
    const i = this.keys.indexOf(k);
    const state = p.phase === 'done' ? (p.status && p.status !== 'ok' ? p.status : 'done') : 'running';
    const verdicts = state === 'done' || state === 'running' ? this.verdictText(k, p.scenario) : '';
    const rounds = p.measured ? `${p.measured} ${p.measured === 1 ? 'round' : 'rounds'}` : '';
    if (li) {
      li.dataset.state = state;
      li.querySelector('.state')!.textContent = [state, rounds, verdicts, p.reason].filter(Boolean).join(' · ');
    }
    if (i >= 0) {
      this.rounds[i] = p.measured;
      this.chart.data.datasets[0]!.data = [...this.rounds];
      this.chart.update('none');
    }
    const bar = byId<HTMLProgressElement>('overall-progress');
    bar.value = p.index + (p.phase === 'done' ? 1 : 0.5);
    byId('eta').textContent =
      `${p.index + (p.phase === 'done' ? 1 : 0)}/${p.total} scenarios · elapsed ${p.elapsedS.toFixed(0)} s · ` +
      `ETA ${p.etaS.toFixed(0)} s${verdicts && p.phase !== 'done' ? ` · ${p.scenario}: ${verdicts}` : ''}`;
    if (p.values) this.liveSamples(k, p.scenario, p.values);
  }

  private liveSamples(k: string, scenario: string, values: Record<string, number>): void {
    if (!this.samples || this.sampleScenario !== k) {
      this.samples?.destroy();
      byId('live-charts').querySelector('[data-chart=live-samples]')?.parentElement?.remove();
      const arms = Object.keys(values);
      const unit = scenarioById(scenario)?.meta.unit ?? '';
      const c = lineChart(
        'live-samples',
        `${k}: samples per arm (live, ${unit})`,
        [],
        arms.map((a, i) => ({ label: a, data: [], borderColor: armColor(a, i), showLine: false })),
        { yTitle: unit },
      );
      c.canvas.dataset.unit = unit;
      this.samples = c.chart;
      this.sampleScenario = k;
      byId('live-charts').append(chartBox(c, 'chart small'));
    }
    const ch = this.samples;
    ch.data.labels!.push(String(ch.data.labels!.length + 1));
    for (const ds of ch.data.datasets) (ds.data as (number | null)[]).push(values[ds.label ?? ''] ?? null);
    ch.update('none');
  }

  finish(text: string): void {
    byId('eta').textContent = text;
    const bar = byId<HTMLProgressElement>('overall-progress');
    bar.value = bar.max;
  }
}
