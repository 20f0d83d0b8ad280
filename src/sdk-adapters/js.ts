/** ably-js 2.x behind the lab's SdkAdapter (loaded with a dynamic import: part of cold start). */
import type { ClientSetup } from '../lab/types';
import type { ClientOptions, Message } from 'ably';
import type {
  ConnectionState,
  PublishMessage,
  RealtimeHandle,
  RealtimeOptions,
  RestHandle,
  SdkAdapter,
} from './adapter';

type AblyModule = typeof import('ably');

/** The options every ably-js client gets in the lab (docs/method.md#arms). */
function clientOptions(setup: ClientSetup): ClientOptions {
  const { host, port, tls } = setup.endpoint;
  const local = setup.endpoint.kind === 'local';
  return {
    key: setup.key,
    endpoint: host,
    tls,
    ...(tls ? { tlsPort: port } : { port }),
    useBinaryProtocol: setup.protocol === 'msgpack',
    transports: ['web_socket'] as ClientOptions['transports'],
    ...(local ? { disableConnectivityCheck: true, fallbackHosts: [] as string[] } : {}),
    logLevel: 0,
  };
}

function realtimeHandle(Ably: AblyModule, o: RealtimeOptions): RealtimeHandle {
  const client = new Ably.Realtime({ ...clientOptions(o), echoMessages: o.echo, clientId: o.clientId });
  return {
    async whenConnected() {
      if (client.connection.state === 'connected') return;
      await new Promise<void>((resolve, reject) => {
        const on = (change: { current: string; reason?: { message?: string } }) => {
          if (change.current === 'connected') {
            client.connection.off(on);
            resolve();
          } else if (change.current === 'failed' || change.current === 'closed') {
            client.connection.off(on);
            reject(new Error(`connection ${change.current}: ${change.reason?.message ?? ''}`));
          }
        };
        client.connection.on(on);
      });
    },
    connectionId: () => client.connection.id,
    onState(listener) {
      const on = (change: { current: string }) => listener(change.current as ConnectionState);
      client.connection.on(on);
      return () => client.connection.off(on);
    },
    async attach(channel) {
      await client.channels.get(channel).attach();
    },
    async subscribe(channel, listener) {
      await client.channels.get(channel).subscribe((m) => listener({ name: m.name, data: m.data }));
    },
    async publish(channel, messages: readonly PublishMessage[]) {
      const ch = client.channels.get(channel);
      await (messages.length === 1 ? ch.publish(messages[0]! as Message) : ch.publish(messages as Message[]));
    },
    async close() {
      if (client.connection.state === 'closed' || client.connection.state === 'failed') return;
      client.close();
      await Promise.race([client.connection.whenState('closed'), new Promise((r) => setTimeout(r, 2000))]);
    },
  };
}

function restHandle(Ably: AblyModule, setup: ClientSetup): RestHandle {
  const client = new Ably.Rest(clientOptions(setup));
  return {
    async publish(channel, messages) {
      const ch = client.channels.get(channel);
      await (messages.length === 1 ? ch.publish(messages[0]! as Message) : ch.publish(messages as Message[]));
    },
    close() {},
  };
}

export async function load(): Promise<SdkAdapter> {
  const Ably = await import('ably');
  const version = String(
    (new Ably.Rest({ key: 'a.b:c' }) as unknown as { Defaults?: { version?: string } }).Defaults?.version ?? 'unknown',
  );
  return {
    sdk: 'js',
    version: `ably-js ${version}`,
    protocols: ['json', 'msgpack'],
    rest: async (setup) => restHandle(Ably, setup),
    realtime: (o) => realtimeHandle(Ably, o),
    wasmMemoryBytes: () => 0,
    wasmHeapBytes: () => 0,
  };
}
