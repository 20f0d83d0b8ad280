import { describe, expect, it } from 'vitest';
import type { OutFrame } from '../codec/frame.ts';
import { defaultLimits } from '../limits.ts';
import { Channel, type Subscriber } from './channel.ts';

describe('Channel fan-out', () => {
  it('a subscriber that fails to take a frame (encoding, socket) does not stop delivery to the others', () => {
    const ch = new Channel('c', defaultLimits);
    const got: string[] = [];
    const ok = (id: string): Subscriber => ({
      connectionId: id,
      echo: true,
      deliver: (f: OutFrame) => void got.push(`${id}:${f.pm.messages![0]!.data}`),
    });
    ch.subscribers.add(ok('before'));
    ch.subscribers.add({
      connectionId: 'broken',
      echo: true,
      deliver: () => {
        throw new Error('msgpack: object too deep');
      },
    });
    ch.subscribers.add(ok('after'));
    const serials = ch.publish([{ data: 'm1' }], { timestamp: 1 });
    ch.publish([{ data: 'm2' }], { timestamp: 2 });
    expect(serials).toHaveLength(1);
    expect(got).toEqual(['before:m1', 'after:m1', 'before:m2', 'after:m2']);
  });
});
