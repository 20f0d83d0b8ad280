import { describe, expect, it } from 'vitest';
import { browserName, engineKey, engineLabel } from './engine';
import type { LabResultsV1 } from './results';

type Env = LabResultsV1['environment'];
const env = (e: Partial<Env>): Env =>
  ({
    userAgent: '',
    browser: '',
    cores: 2,
    crossOriginIsolated: true,
    timerGranularityUs: 5,
    gitCommit: null,
    gitDirty: null,
    memoryMethod: 'cdp',
    cpuMethod: 'proc',
    notes: [],
    ...e,
  }) as Env;

const CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';

describe('the engine a run was measured in', () => {
  it('labels a CLI run by its engine, version, protocol and whether it was attached', () => {
    const chromium = { name: 'chromium', version: '156.0.8078.108', protocol: 'cdp', remote: false } as const;
    const firefox = { name: 'firefox', version: '153.8.0', protocol: 'bidi', remote: true } as const;
    expect(engineLabel(env({ browser: 'Chromium 156.0.8078.108', engine: chromium }))).toBe('Chromium 156 (CDP)');
    expect(engineLabel(env({ browser: 'Firefox 153.8.0', engine: firefox }))).toBe('Firefox 153.8 (BiDi, remote)');
    expect(engineLabel(env({ engine: { ...firefox, version: '140.5.0esr', remote: false } }))).toBe(
      'Firefox 140.5 (BiDi)',
    );
  });
  it('labels a page run (no engine field) by the browser in its user agent', () => {
    expect(engineLabel(env({ userAgent: CHROME_UA, browser: CHROME_UA, memoryMethod: 'mUASM' }))).toBe(
      'Chromium 142 (page)',
    );
    expect(engineLabel(env({ userAgent: FIREFOX_UA, browser: FIREFOX_UA, memoryMethod: 'none' }))).toBe(
      'Firefox 140 (page)',
    );
    // An older CLI file: the browser is already a name.
    expect(engineLabel(env({ userAgent: CHROME_UA, browser: 'Chromium 150.0.1' }))).toBe('Chromium 150.0.1');
  });
  it('keys a run by engine: older files by their user agent (Chrome/Chromium → chromium), else the browser name', () => {
    expect(engineKey(env({ engine: { name: 'firefox', version: '1', protocol: 'bidi', remote: false } }))).toBe(
      'firefox',
    );
    expect(engineKey(env({ userAgent: CHROME_UA, browser: 'Chromium 150' }))).toBe('chromium');
    expect(engineKey(env({ userAgent: 'HeadlessChrome/150', browser: 'x' }))).toBe('chromium');
    expect(engineKey(env({ userAgent: FIREFOX_UA, browser: FIREFOX_UA }))).toBe('firefox');
    expect(engineKey(env({ userAgent: 'ua', browser: 'Chromium test' }))).toBe('chromium');
    expect(engineKey(env({ userAgent: 'Mozilla/5.0 (Macintosh) Version/18.1 Safari/605.1.15', browser: 'x' }))).toBe(
      'safari',
    );
    expect(engineKey(env({ userAgent: '', browser: '' }))).toBe('unknown');
  });
  it('names the browser in a user agent', () => {
    expect(browserName(CHROME_UA)).toBe('Chromium 142');
    expect(browserName(FIREFOX_UA)).toBe('Firefox 140');
  });
});
