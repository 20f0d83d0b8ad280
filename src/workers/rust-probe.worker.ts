/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import init, { codecRoundTrip, version } from '../../rust-wasm/pkg/ably_wasm.js';
import { timerGranularityUs } from '../lab/timer';
import type { ProbeReport, ProbeWorkerApi } from './contract';

const api: ProbeWorkerApi = {
  async probe(): Promise<ProbeReport> {
    const t0 = performance.now();
    await init();
    const loadMs = performance.now() - t0;
    const computed = codecRoundTrip('{"action":1,"msgSerial":7,"count":2}');
    return {
      sdk: 'rust-wasm',
      sdkVersion: version(),
      computed,
      crossOriginIsolated: self.crossOriginIsolated,
      timerGranularityUs: timerGranularityUs(() => performance.now()),
      loadMs,
    };
  },
};

Comlink.expose(api);
