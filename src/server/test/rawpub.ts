import { Decoder } from '@msgpack/msgpack';
import { encodeMsgpackFast as encode } from '../codec/msgpack-out.ts';

const decoder = new Decoder();
const decode = (b: Buffer) => decoder.decode(b);
import WebSocket from 'ws';

/**
 * A minimal msgpack realtime publisher for load tests and the benchmark: keeps up to `window`
 * MESSAGE frames un-ACKed, counts ACKs (msgSerial + count) and NACKs.
 */
export class RawPublisher {
  acked = 0;
  nacked = 0;
  sent = 0;
  connectionId = '';
  readonly ws: WebSocket;
  private onAck: (() => void) | undefined;
  readonly ready: Promise<void>;

  constructor(port: number, key: string, extraQuery = '') {
    // all-zero mask: ws then skips the XOR pass (legal, the client picks the mask; saves load-generator CPU)
    this.ws = new WebSocket(`ws://127.0.0.1:${port}/?format=msgpack&v=6&key=${encodeURIComponent(key)}${extraQuery}`, {
      generateMask: () => {},
    });
    this.ws.on('error', () => {});
    this.ready = new Promise((resolve, reject) => {
      this.ws.once('error', reject);
      this.ws.on('message', (data: Buffer) => {
        const pm = decode(data) as { action: number; connectionId?: string; msgSerial?: number; count?: number };
        if (pm.action === 4) {
          this.connectionId = pm.connectionId!;
          resolve();
        } else if (pm.action === 1) {
          this.acked += pm.count!;
          this.onAck?.();
        } else if (pm.action === 2) {
          this.nacked += pm.count!;
          this.onAck?.();
        }
      });
    });
  }

  /** Publishes `n` messages (data = `${tag}:${i}`) with at most `window` in flight; resolves when all are ACKed. */
  async publish(channel: string, n: number, tag: string, window = 100, payload = ''): Promise<void> {
    await new Promise<void>((resolve) => {
      const pump = () => {
        while (this.sent < n && this.sent - this.acked - this.nacked < window) {
          const i = this.sent++;
          this.ws.send(
            encode({ action: 15, channel, msgSerial: i, messages: [{ name: 'm', data: `${tag}:${i}${payload}` }] }),
          );
        }
        if (this.acked + this.nacked >= n) resolve();
      };
      this.onAck = pump;
      pump();
    });
  }

  close(): void {
    this.ws.terminate();
  }
}
