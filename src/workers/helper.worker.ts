/// <reference lib="webworker" />
/**
 * The helper worker: a second connection (the raw floor client, JSON, the same for every arm)
 * that publishes the message streams subscribe/recovery/memory scenarios consume. It runs in its
 * own thread, so its cost does not land on the measured SDK's worker thread.
 */
import * as Comlink from 'comlink';
import type { Publisher } from '../lab/scenarios/scenario';
import { payload } from '../lab/scenarios/scenario';
import type { RealtimeHandle } from '../sdk-adapters/adapter';
import { rawAdapter } from '../sdk-adapters/raw';
import type { HelperWorkerApi } from './arm-contract';

let client: RealtimeHandle | undefined;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const publisher: Publisher = {
  async publishSequence(channel, n, { batch, size, chunk, paceMs }) {
    if (!client) throw new Error('helper not configured');
    await client.whenConnected();
    const data = payload(size);
    const acks: Promise<void>[] = [];
    for (let f = 0, i = 0; i < n; f++, i += batch) {
      if (chunk && paceMs && f > 0 && f % chunk === 0) await sleep(paceMs);
      const frame = Array.from({ length: Math.min(batch, n - i) }, (_, k) => ({ name: String(i + k), data }));
      acks.push(client.publish(channel, frame));
    }
    await Promise.all(acks);
    return n;
  },
};

const api: HelperWorkerApi = {
  async configure(setup) {
    await client?.close();
    client = rawAdapter().realtime({ ...setup, protocol: 'json', clientId: 'lab-helper', echo: false });
    await client.whenConnected();
  },
  serve(port) {
    Comlink.expose(publisher, port);
  },
  async close() {
    await client?.close();
    client = undefined;
  },
};

Comlink.expose(api);
