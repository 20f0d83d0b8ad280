import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Ably, connected, Lab, type RawClient, waitFor } from './test/helpers.ts';

/**
 * Hostile input that once broke the server for others: each case asserts the exact Ably error,
 * that nothing was stored or ACKed for it, and that a healthy ably-js pair kept working.
 */
let lab: Lab;
let healthyPub: Ably.Realtime;
let received: string[];
let seq = 0;
const keyQ = () => `key=${encodeURIComponent(lab.server.key)}`;

beforeAll(async () => {
  lab = await Lab.start();
  healthyPub = lab.realtime();
  const sub = lab.realtime({ useBinaryProtocol: false });
  received = [];
  await sub.channels.get('healthy').subscribe((m) => void received.push(m.data as string));
  await connected(healthyPub);
});
afterAll(() => lab.close());

async function stillHealthy(): Promise<void> {
  const tag = `ok-${++seq}`;
  const r = await healthyPub.channels.get('healthy').publish('h', tag);
  expect(r?.serials).toHaveLength(1);
  await waitFor(() => received.includes(tag), 3000, `healthy delivery ${tag}`);
}

async function connectedRaw(format: 'json' | 'msgpack' = 'json', extra = ''): Promise<RawClient> {
  const raw = await lab.raw(`${keyQ()}${extra}`, format);
  await raw.next((f) => f.action === 4);
  return raw;
}

/** `{a:{a:…{}}}`, `depth` levels, built without recursion. */
function nested(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = {};
  for (let i = 1; i < depth; i++) v = { a: v };
  return v;
}

describe('a message the encoders cannot carry is refused before it is stored (RSL1, TM2i)', () => {
  test('extras nested 70 deep: NACK 40013, nothing stored, msgpack and JSON subscribers get the next message, history is intact', async () => {
    const mp = lab.realtime(); // msgpack first: delivery used to stop at the first msgpack subscriber
    const js = lab.realtime({ useBinaryProtocol: false });
    const gotMp: string[] = [];
    const gotJs: string[] = [];
    await mp.channels.get('poison').subscribe((m) => void gotMp.push(m.name!));
    await js.channels.get('poison').subscribe((m) => void gotJs.push(m.name!));
    const raw = await connectedRaw();
    raw.send({ action: 15, channel: 'poison', msgSerial: 0, messages: [{ name: 'bad', data: 'x', extras: nested(70) }] });
    const nack = await raw.next((f) => f.action === 2);
    expect(nack).toMatchObject({ msgSerial: 0, count: 1, error: { code: 40013, statusCode: 400 } });
    const rest = lab.rest({ useBinaryProtocol: false });
    await expect(rest.channels.get('poison').publish({ name: 'bad-rest', data: 'x', extras: nested(70) })).rejects.toMatchObject({ code: 40013, statusCode: 400 });
    raw.send({ action: 15, channel: 'poison', msgSerial: 1, messages: [{ name: 'good', data: 'x' }] });
    await raw.next((f) => f.action === 1 && f.msgSerial === 1);
    await waitFor(() => gotMp.length > 0 && gotJs.length > 0, 3000, 'delivery of the good message');
    expect(gotMp).toEqual(['good']);
    expect(gotJs).toEqual(['good']);
    const page = await lab.rest().channels.get('poison').history(); // msgpack
    expect(page.items.map((m) => m.name)).toEqual(['good']);
    await stillHealthy();
  });
});
