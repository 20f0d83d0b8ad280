import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { expect, test } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { wsFrame } from './frame.ts';

test('wsFrame output is parsed by the ws client for all three length forms, text and binary', async () => {
  const server = createServer();
  const wss = new WebSocketServer({ server });
  const sizes = [0, 5, 125, 126, 65535, 65536, 200000];
  wss.on('connection', (ws) => {
    const raw = (ws as unknown as { _socket: Socket })._socket;
    for (const n of sizes) {
      raw.write(wsFrame(Buffer.alloc(n, 'a'), false));
      raw.write(wsFrame(Buffer.alloc(n, 7), true));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const c = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const got: Array<[number, boolean]> = [];
  await new Promise<void>((resolve) =>
    c.on('message', (d: Buffer, isBinary) => {
      got.push([d.length, isBinary]);
      if (got.length === sizes.length * 2) resolve();
    }),
  );
  expect(got).toEqual(
    sizes.flatMap((n) => [
      [n, false],
      [n, true],
    ]),
  );
  c.terminate();
  wss.close();
  server.close();
});
