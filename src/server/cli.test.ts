import { expect, test } from 'vitest';
import { spawnServer } from './test/spawn.ts';

test('npm run server: prints "listening on <url>" then the key; --key honoured; SIGINT exits 0', async () => {
  const s = await spawnServer(['--key', 'cliapp.main:topsecret', '--host', '127.0.0.1']);
  expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(s.key).toBe('cliapp.main:topsecret');
  const t = await fetch(`${s.url}/time`);
  expect(t.status).toBe(200);
  const exit = new Promise<number | null>((r) => s.child.once('exit', (code) => r(code)));
  s.child.kill('SIGINT');
  expect(await exit).toBe(0);
});

test('npm run server without --key prints a generated labapp.root key', async () => {
  const s = await spawnServer();
  expect(s.key).toMatch(/^labapp\.root:[\w-]{16,}$/);
  await s.stop();
});

test('--idle-channel-ttl takes a positive whole number of ms; anything else is refused with a clear error', async () => {
  const s = await spawnServer(['--idle-channel-ttl', '5000']);
  expect((await fetch(`${s.url}/time`)).status).toBe(200);
  await s.stop();
  for (const bad of ['0', '-1', '1.5', 'soon']) {
    await expect(spawnServer(['--idle-channel-ttl', bad])).rejects.toThrow('server exited with 1');
  }
});

test('GET /lab/metrics?gc=true collects garbage first when node runs with --expose-gc, so memory figures exclude garbage', async () => {
  const s = await spawnServer([], ['--expose-gc']);
  try {
    const auth = { authorization: `Basic ${Buffer.from(s.key).toString('base64')}` };
    const r = await fetch(`${s.url}/lab/metrics?gc=true`, { headers: auth });
    expect(r.status).toBe(200);
    const m = (await r.json()) as { memory: { rssBytes: number; heapUsedBytes: number } };
    expect(m.memory.heapUsedBytes).toBeGreaterThan(0);
  } finally {
    await s.stop();
  }
});
