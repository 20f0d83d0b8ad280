/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { timerGranularityUs } from '../lab/timer';
import type { ProbeReport, ProbeWorkerApi } from './contract';

const api: ProbeWorkerApi = {
  async probe(): Promise<ProbeReport> {
    const t0 = performance.now();
    const Ably = await import('ably');
    // A REST client does no I/O until asked; its Defaults carry the library version.
    const client = new Ably.Rest({ key: 'probe.probe:secret' });
    const loadMs = performance.now() - t0;
    const sdkVersion = String((client as unknown as { Defaults: { version: string } }).Defaults.version);
    const encoded = await Ably.Rest.Message.fromEncoded({
      name: 'probe',
      data: 'eyJhIjoxfQ==',
      encoding: 'json/utf-8/base64',
    });
    return {
      sdk: 'ably-js',
      sdkVersion,
      computed: JSON.stringify(encoded.data),
      crossOriginIsolated: self.crossOriginIsolated,
      timerGranularityUs: timerGranularityUs(() => performance.now()),
      loadMs,
    };
  },
};

Comlink.expose(api);
