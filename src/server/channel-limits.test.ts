import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connected, Lab, waitFor } from './test/helpers.ts';

/**
 * maxChannelsPerConnection answers Ably's own code for it, 90010 "maximum number of channels per
 * connection/request exceeded" (ably-common protocol/errors.json), channel-scoped: the connection
 * and the channels already attached keep working.
 */
let lab: Lab;
beforeAll(async () => {
  lab = await Lab.start({ limits: { maxChannelsPerConnection: 2 } });
});
afterAll(() => lab.close());

describe('maxChannelsPerConnection: 90010', () => {
  test('raw: the ATTACH beyond the limit gets a channel ERROR 90010 (400); the connection stays', async () => {
    const raw = await lab.raw(`key=${encodeURIComponent(lab.server.key)}`);
    await raw.next((f) => f.action === 4);
    for (const name of ['raw-a', 'raw-b']) {
      raw.send({ action: 10, channel: name });
      await raw.next((f) => f.action === 11 && f.channel === name);
    }
    raw.send({ action: 10, channel: 'raw-c' });
    expect(await raw.next((f) => f.action === 9)).toMatchObject({
      channel: 'raw-c',
      error: { code: 90010, statusCode: 400 },
    });
    raw.send({ action: 10, channel: 'raw-a' }); // re-attaching one it has is not a new channel
    expect(await raw.next((f) => f.action === 11 && f.channel === 'raw-a')).toMatchObject({ channel: 'raw-a' });
    expect(raw.closeCode).toBeUndefined();
  });

  test('ably-js: attach() rejects with 90010, the channel is failed, the connection and the other channels carry on', async () => {
    const rt = lab.realtime();
    await connected(rt);
    const got: string[] = [];
    await rt.channels.get('js-a').subscribe((m) => void got.push(m.data as string));
    await rt.channels.get('js-b').attach();
    const third = rt.channels.get('js-c');
    await expect(third.attach()).rejects.toMatchObject({ code: 90010, statusCode: 400 });
    expect(third.state).toBe('failed');
    expect(third.errorReason?.code).toBe(90010);
    expect(rt.connection.state).toBe('connected');
    await lab.rest().channels.get('js-a').publish('m', 'still-delivered');
    await waitFor(() => got.includes('still-delivered'), 3000, 'delivery on js-a');
    await rt.channels.get('js-b').detach(); // making room lets the third attach
    await third.attach();
    expect(third.state).toBe('attached');
  });
});
