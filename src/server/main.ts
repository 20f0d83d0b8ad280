import { parseArgs } from 'node:util';
import { DEFAULT_PORT, startServer } from './index.ts';

/**
 * `npm run server [-- --port 8780 --host 127.0.0.1 --key app.key:secret --static dist --idle-channel-ttl ms]`.
 * The only file touching `process`.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: String(DEFAULT_PORT) },
    host: { type: 'string', default: '127.0.0.1' },
    key: { type: 'string' },
    static: { type: 'string' },
    'idle-channel-ttl': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(
    'usage: npm run server -- [--port 8780] [--host 127.0.0.1] [--key appId.keyId:secret] [--static dist] [--idle-channel-ttl 600000]',
  );
  process.exit(0);
}

const idleChannelTtl = values['idle-channel-ttl'] === undefined ? undefined : Number(values['idle-channel-ttl']);
if (idleChannelTtl !== undefined && !(Number.isInteger(idleChannelTtl) && idleChannelTtl > 0)) {
  console.error(`--idle-channel-ttl: expected a positive whole number of ms, got ${values['idle-channel-ttl']}`);
  process.exit(1);
}

const server = await startServer({
  port: Number(values.port),
  host: values.host,
  ...(values.key ? { key: values.key } : {}),
  ...(values.static ? { staticDir: values.static } : {}),
  ...(idleChannelTtl !== undefined ? { limits: { idleChannelTtl } } : {}),
}).catch((e: unknown) => {
  console.error(`cannot start server: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});

console.log(`listening on ${server.url}`);
console.log(server.key);

let stopping = false;
const stop = () => {
  if (stopping) process.exit(1);
  stopping = true;
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
