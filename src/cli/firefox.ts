/**
 * Debian's Firefox ESR (apt package `firefox-esr`, installed by scripts/setup.sh); override with
 * LAB_FIREFOX. A stock build: no Juggler patches, driven over WebDriver BiDi (drivers/firefox.ts).
 */
import { existsSync } from 'node:fs';

export const firefoxPath = process.env.LAB_FIREFOX ?? '/usr/bin/firefox-esr';

/**
 * Preferences for a fresh profile on a machine without internet, the counterpart of the Chromium
 * background-networking flags: no updates, telemetry, Safe Browsing lists, captive-portal or
 * connectivity probes, Remote Settings / Normandy / experiments, or first-run pages — each would
 * otherwise try the closed network in the background while the lab times.
 */
export const firefoxPrefs: Record<string, string | number | boolean> = {
  'app.update.enabled': false,
  'app.update.auto': false,
  'app.normandy.enabled': false,
  'app.shield.optoutstudies.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.startup.page': 0,
  'browser.newtabpage.enabled': false,
  'browser.aboutwelcome.enabled': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.search.update': false,
  'browser.topsites.contile.enabled': false,
  'browser.newtabpage.activity-stream.feeds.system.topstories': false,
  'browser.newtabpage.activity-stream.feeds.telemetry': false,
  'browser.ping-centre.telemetry': false,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.server': '',
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'services.settings.server': 'http://127.0.0.1:9/',
  'remote.prefs.recommended': true,
  // Workers and wasm as a user gets them; the lab needs no privileged APIs.
  'dom.workers.maxPerDomain': 64,
};

export function requireFirefox(): string {
  if (!existsSync(firefoxPath))
    throw new Error(
      `Firefox not found at ${firefoxPath}: run 'npm run setup' (installs Debian's firefox-esr) or set LAB_FIREFOX`,
    );
  return firefoxPath;
}
