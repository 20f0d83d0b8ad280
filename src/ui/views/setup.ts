/**
 * Setup form: scenarios by group (`ScenarioMeta.group`), arms (what availableArms() offers in this
 * build), protocols, quick/full + budget, endpoint (this origin's local server, or a real Ably
 * app with host + key). Preferences persist in localStorage WITHOUT the key (a remote key lives
 * only in the password field, never in storage, results, exports or links).
 */
import { QUICK_BUDGET_S, FULL_BUDGET_S } from '../../lab/defaults';
import { SCENARIOS } from '../../lab/scenarios/index';
import { PROTOCOLS, SDK_KINDS, type Protocol, type ScenarioGroup, type SdkKind } from '../../lab/types';
import { h } from '../dom';

export const GROUPS: { id: ScenarioGroup; label: string }[] = [
  { id: 'throughput', label: 'Throughput' },
  { id: 'latency', label: 'Latency' },
  { id: 'memory', label: 'Memory' },
  { id: 'recovery', label: 'Recovery' },
  { id: 'cold-start', label: 'Cold start' },
];

export interface SetupChoice {
  scenarios: string[];
  arms: SdkKind[];
  protocols: Protocol[];
  quick: boolean;
  budgetS: number;
  endpoint: { kind: 'local' } | { kind: 'remote'; host: string; port: number; tls: boolean };
}

const PREFS_KEY = 'ably-lab.setup.v1';

/**
 * What a first visit has chosen: one speed and one memory scenario, quick. A newcomer can press
 * Run at once and see both kinds of answer in about a minute.
 */
export const DEFAULT_SCENARIOS = ['publish-ack-latency', 'memory-1000-channels'];

/** "up to 110 s: 2 scenarios × 1 protocol × 3 arms, quick" — the run's time bound is its budget. */
export function estimateText(c: Pick<SetupChoice, 'scenarios' | 'protocols' | 'arms' | 'quick' | 'budgetS'>): string {
  const n = c.scenarios.length * c.protocols.length;
  if (!n || !c.arms.length) return 'choose at least one scenario, arm and protocol';
  return (
    `up to ${c.budgetS} s: ${c.scenarios.length} scenario${c.scenarios.length === 1 ? '' : 's'} × ` +
    `${c.protocols.length} protocol${c.protocols.length === 1 ? '' : 's'} × ` +
    `${c.arms.length} arm${c.arms.length === 1 ? '' : 's'}, ${c.quick ? 'quick' : 'full'}`
  );
}

/** Stored preferences: everything but the key (there is no key field in SetupChoice by design). */
export function savePrefs(c: SetupChoice): void {
  try {
    localStorage.setItem(PREFS_KEY, JSON.stringify(c));
  } catch {
    /* storage disabled */
  }
}

function loadPrefs(): Partial<SetupChoice> {
  try {
    const v = JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}') as unknown;
    return typeof v === 'object' && v !== null ? (v as Partial<SetupChoice>) : {};
  } catch {
    return {};
  }
}

const checkbox = (name: string, value: string, label: string, checked: boolean, disabled = false, title?: string) =>
  h(
    'label',
    { class: 'check', ...(title ? { title } : {}) },
    h('input', { type: 'checkbox', name, value, checked, disabled }),
    ` ${label}`,
  );

export function buildSetup(form: HTMLFormElement, available: SdkKind[]): void {
  const p = loadPrefs();
  const chosen = new Set(p.scenarios ?? DEFAULT_SCENARIOS);
  const groups = GROUPS.map((g) => {
    const list = SCENARIOS.filter((s) => s.meta.group === g.id);
    const all = h('input', { type: 'checkbox', 'data-group': g.id, 'aria-label': `all ${g.label} scenarios` });
    const fs = h(
      'fieldset',
      { class: 'group', 'data-group': g.id },
      h('legend', {}, h('label', {}, all, ` ${g.label}`)),
      ...list.map((s) =>
        checkbox('scenario', s.meta.id, s.meta.title, chosen.has(s.meta.id), false, s.meta.description),
      ),
    );
    const boxes = () => [...fs.querySelectorAll<HTMLInputElement>('input[name=scenario]')];
    const sync = () => {
      const b = boxes();
      all.checked = b.every((x) => x.checked);
      all.indeterminate = !all.checked && b.some((x) => x.checked);
    };
    all.addEventListener('change', () => boxes().forEach((x) => (x.checked = all.checked)));
    fs.addEventListener('change', sync);
    sync();
    return fs;
  });
  const arms = p.arms?.length ? p.arms : available;
  const protos = p.protocols?.length ? p.protocols : (['json'] as Protocol[]);
  const remote = p.endpoint?.kind === 'remote' ? p.endpoint : undefined;
  form.replaceChildren(
    h('fieldset', { class: 'scenarios' }, h('legend', {}, 'Scenarios'), ...groups),
    h(
      'fieldset',
      { class: 'arms' },
      h('legend', {}, 'Arms (each in its own worker)'),
      ...SDK_KINDS.map((k) =>
        checkbox(
          'arm',
          k,
          k === 'rust' ? 'rust (wasm)' : k === 'js' ? 'js (ably-js)' : 'raw (wire floor)',
          available.includes(k) && arms.includes(k),
          !available.includes(k),
          available.includes(k) ? undefined : 'not available in this build yet',
        ),
      ),
      available.includes('rust')
        ? null
        : h(
            'p',
            { class: 'sub', id: 'rust-pending' },
            'The rust arm is pending in the lab engine (its wasm JS API is not wired into the runner yet).',
          ),
    ),
    h(
      'fieldset',
      { class: 'protocols' },
      h('legend', {}, 'Protocol'),
      ...PROTOCOLS.map((pr) => checkbox('protocol', pr, pr, protos.includes(pr))),
    ),
    h(
      'fieldset',
      { class: 'mode' },
      h('legend', {}, 'Budget'),
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'radio', name: 'mode', value: 'quick', checked: p.quick !== false }),
        ' quick',
      ),
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'radio', name: 'mode', value: 'full', checked: p.quick === false }),
        ' full',
      ),
      h(
        'label',
        {},
        ' budget (s) ',
        h('input', {
          type: 'number',
          name: 'budget',
          id: 'budget',
          min: 5,
          max: 7200,
          step: 1,
          value: p.budgetS ?? QUICK_BUDGET_S,
        }),
      ),
    ),
    h(
      'fieldset',
      { class: 'endpoint' },
      h('legend', {}, 'Endpoint'),
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'radio', name: 'endpoint', value: 'local', checked: !remote }),
        ' local server (this origin)',
      ),
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'radio', name: 'endpoint', value: 'remote', checked: !!remote }),
        ' real Ably app',
      ),
      h(
        'div',
        { class: 'remote' },
        h(
          'label',
          {},
          'host ',
          h('input', {
            type: 'text',
            name: 'host',
            id: 'remote-host',
            placeholder: 'main.realtime.ably.net',
            value: remote?.host ?? '',
            autocomplete: 'off',
          }),
        ),
        h(
          'label',
          {},
          ' port ',
          h('input', {
            type: 'number',
            name: 'port',
            id: 'remote-port',
            min: 1,
            max: 65535,
            value: remote?.port ?? 443,
          }),
        ),
        h(
          'label',
          { class: 'check' },
          h('input', { type: 'checkbox', name: 'tls', checked: remote?.tls ?? true }),
          ' TLS',
        ),
        h(
          'label',
          {},
          ' API key ',
          h('input', {
            type: 'password',
            name: 'key',
            id: 'remote-key',
            autocomplete: 'off',
            spellcheck: false,
            placeholder: 'appId.keyId:secret (never stored)',
          }),
        ),
      ),
    ),
  );
  form.querySelectorAll<HTMLInputElement>('input[name=mode]').forEach((r) =>
    r.addEventListener('change', () => {
      (form.elements.namedItem('budget') as HTMLInputElement).value = String(
        r.value === 'quick' ? QUICK_BUDGET_S : FULL_BUDGET_S,
      );
    }),
  );
}

export function readSetup(form: HTMLFormElement): { choice: SetupChoice; remoteKey: string } {
  const values = (name: string) =>
    [...form.querySelectorAll<HTMLInputElement>(`input[name=${name}]:checked`)].map((i) => i.value);
  const el = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
  const quick = values('mode')[0] !== 'full';
  const endpoint: SetupChoice['endpoint'] =
    values('endpoint')[0] === 'remote'
      ? { kind: 'remote', host: el('host').value.trim(), port: Number(el('port').value) || 443, tls: el('tls').checked }
      : { kind: 'local' };
  return {
    choice: {
      scenarios: values('scenario'),
      arms: values('arm') as SdkKind[],
      protocols: values('protocol') as Protocol[],
      quick,
      budgetS: Math.max(5, Number(el('budget').value) || QUICK_BUDGET_S),
      endpoint,
    },
    remoteKey: el('key').value.trim(),
  };
}

/** Pre-fills the form from a shared result ("run this yourself"). */
export function applyChoice(form: HTMLFormElement, c: Partial<SetupChoice>): void {
  const set = (name: string, vals: string[] | undefined) => {
    if (!vals) return;
    form
      .querySelectorAll<HTMLInputElement>(`input[name=${name}]`)
      .forEach((i) => (i.checked = !i.disabled && vals.includes(i.value)));
  };
  set('scenario', c.scenarios);
  set('arm', c.arms);
  set('protocol', c.protocols);
  if (c.quick !== undefined) set('mode', [c.quick ? 'quick' : 'full']);
  if (c.budgetS) (form.elements.namedItem('budget') as HTMLInputElement).value = String(c.budgetS);
  form.querySelectorAll('fieldset.group').forEach((fs) => fs.dispatchEvent(new Event('change')));
}
