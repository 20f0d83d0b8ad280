/**
 * Our Rust SDK compiled to wasm (rust-wasm/pkg/{realtime,rest}, built by `npm run build:wasm`) behind
 * the lab's SdkAdapter. Loading = fetch + compile/instantiate of the realtime .wasm (part of cold
 * start); the REST module is fetched on the first REST client. Its linear
 * memory is reported by the SDK itself (`wasmMemoryBytes()`: reserved, never shrinks) because
 * no browser API counts it (docs/method.md, "Memory").
 */
import type { ClientSetup } from '../lab/types';
import type {
  ConnectionState,
  PublishMessage,
  RealtimeHandle,
  RealtimeOptions,
  RestHandle,
  SdkAdapter,
} from './adapter';

import type { RealtimeChannel } from '../../rust-wasm/pkg/realtime/ably_realtime.js';
import type { RestChannel } from '../../rust-wasm/pkg/rest/ably_rest.js';

type RealtimePkg = typeof import('../../rust-wasm/pkg/realtime/ably_realtime.js');
type RestPkg = typeof import('../../rust-wasm/pkg/rest/ably_rest.js');

function clientOptions(setup: ClientSetup) {
  const { host, port, tls } = setup.endpoint;
  return { key: setup.key, endpoint: host, port, tls, useBinaryProtocol: setup.protocol === 'msgpack' };
}

function realtimeHandle(pkg: RealtimePkg, o: RealtimeOptions): RealtimeHandle {
  const client = new pkg.RealtimeClient({ ...clientOptions(o), echoMessages: o.echo, clientId: o.clientId });
  let freed = false;
  // Channels that are published to or subscribed on keep one handle: a handle is a wasm-bindgen
  // object with a FinalizationRegistry entry, too costly to create per publish. `attach` alone
  // takes a passing handle, as before, so the memory scenarios measure the SDK, not this cache.
  const channels = new Map<string, RealtimeChannel>();
  const channelOf = (name: string) => {
    let ch = channels.get(name);
    if (ch === undefined) channels.set(name, (ch = client.channel(name)));
    return ch;
  };
  return {
    async whenConnected() {
      if (client.state === 'connected') return;
      await client.whenState('connected');
    },
    connectionId: () => (freed ? undefined : client.connectionId),
    onState(listener) {
      const cb = (c: { current: string }) => listener(c.current as ConnectionState);
      client.on(cb);
      return () => {
        if (!freed) client.off(cb);
      };
    },
    async attach(channel) {
      await (channels.get(channel) ?? client.channel(channel)).attach();
    },
    async subscribe(channel, listener) {
      await channelOf(channel).subscribe((m) => listener({ name: m.name, data: m.data }));
    },
    async publish(channel, messages: readonly PublishMessage[]) {
      const ch = channelOf(channel);
      // `(name, data)` passes two strings; a message object would be read field by field.
      await (messages.length === 1
        ? ch.publish(messages[0]!.name, messages[0]!.data)
        : ch.publish(messages as PublishMessage[]));
    },
    async close() {
      if (freed) return;
      if (client.state !== 'closed' && client.state !== 'failed') {
        client.close();
        await Promise.race([client.whenState('closed').catch(() => null), new Promise((r) => setTimeout(r, 2000))]);
      }
      freed = true;
      channels.clear();
      client.free();
    },
  };
}

function restHandle(pkg: RestPkg, setup: ClientSetup): RestHandle {
  const client = new pkg.RestClient(clientOptions(setup));
  const channels = new Map<string, RestChannel>();
  return {
    async publish(channel, messages) {
      let ch = channels.get(channel);
      if (ch === undefined) channels.set(channel, (ch = client.channel(channel)));
      await (messages.length === 1
        ? ch.publish(messages[0]!.name, messages[0]!.data)
        : ch.publish(messages as PublishMessage[]));
    },
    close() {
      channels.clear();
      client.free();
    },
  };
}

/**
 * The REST module (a second wasm module: REST is not in the realtime one), loaded and
 * instantiated on the first REST client, once per worker.
 */
let restModule: Promise<RestPkg> | undefined;
function loadRest(): Promise<RestPkg> {
  restModule ??= import('../../rust-wasm/pkg/rest/ably_rest.js').then(async (pkg) => {
    await pkg.default();
    return pkg;
  });
  return restModule;
}

export async function load(): Promise<SdkAdapter> {
  const pkg = await import('../../rust-wasm/pkg/realtime/ably_realtime.js');
  await pkg.default();
  return {
    sdk: 'rust',
    version: `ably-wasm ${pkg.version()}`,
    protocols: ['json', 'msgpack'],
    rest: async (setup) => restHandle(await loadRest(), setup),
    realtime: (o) => realtimeHandle(pkg, o),
    // The realtime module's: memory scenarios use realtime clients only.
    wasmMemoryBytes: () => pkg.wasmMemoryBytes(),
    wasmHeapBytes: () => pkg.heapBytes(),
  };
}
