/**
 * Which engine a run was measured in, for every place a run is shown (lab page, permalink view,
 * CLI table, Markdown summary, dashboard). CLI runs record `environment.engine`; page runs and
 * older files do not, and are named from their user agent or browser string. Pure.
 */
import type { LabResultsV1 } from './results';

type Environment = LabResultsV1['environment'];

const UA_PRODUCT = /(Firefox|Edg|OPR|HeadlessChrome|Chrome|Chromium|Version)\/(\d+)/;

/** "Chromium 142" / "Firefox 133" from a user agent: the one-line summary; details hold the whole string. */
export function browserName(ua: string): string {
  const m = UA_PRODUCT.exec(ua);
  if (!m) return ua.slice(0, 40);
  const name = { Edg: 'Edge', OPR: 'Opera', Version: 'Safari', Chrome: 'Chromium', HeadlessChrome: 'Chromium' }[
    m[1]! as 'Edg'
  ];
  return `${name ?? m[1]!} ${m[2]}`;
}

/** Chromium's major version tells its build; Firefox ESR's point release matters (153.8). */
function shortVersion(name: 'chromium' | 'firefox', version: string): string {
  const parts = version.split('.').map((p) => p.replace(/\D+$/, ''));
  return parts.slice(0, name === 'chromium' ? 1 : 2).join('.');
}

/**
 * "Chromium 156 (CDP)", "Firefox 153.8 (BiDi, remote)"; a page run: its browser and "(page)";
 * an older CLI file: its browser string as recorded.
 */
export function engineLabel(e: Environment): string {
  const g = e.engine;
  if (g) {
    const name = g.name === 'chromium' ? 'Chromium' : 'Firefox';
    return `${name} ${shortVersion(g.name, g.version)} (${g.protocol === 'cdp' ? 'CDP' : 'BiDi'}${g.remote ? ', remote' : ''})`;
  }
  if (e.browser.startsWith('Mozilla/')) return `${browserName(e.browser)} (page)`;
  return e.browser || browserName(e.userAgent) || 'unknown browser';
}

/**
 * The engine as a series key (dashboard lines never join two engines): the recorded engine; for
 * files without one, "chromium" when the user agent says Chrome/Chromium, else the browser's name
 * (from the user agent, or the first word of `browser`), lower case.
 */
export function engineKey(e: Environment): string {
  if (e.engine) return e.engine.name;
  if (/\b(Headless)?Chrom(e|ium)\//.test(e.userAgent)) return 'chromium';
  const m = UA_PRODUCT.exec(e.userAgent) ?? UA_PRODUCT.exec(e.browser);
  const name = m ? browserName(m[0]) : e.browser;
  return (/^[A-Za-z][\w-]*/.exec(name.trim())?.[0] ?? 'unknown').toLowerCase();
}
