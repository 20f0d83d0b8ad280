import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

/** Counters the lab reads (GET /lab/metrics) to show the server was not the bottleneck. */
export class Metrics {
  connectionsOpened = 0;
  connectionsResumed = 0;
  /** Realtime Messages accepted from publishers (realtime + REST). */
  messagesIn = 0;
  /** Messages delivered to subscribers (one per message per subscriber). */
  messagesOut = 0;
  framesIn = 0;
  framesOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  restRequests = 0;
  /** CORS preflights (OPTIONS): zero when the page and the endpoints share an origin. */
  corsPreflights = 0;
  errorsSent = 0;
  slowConsumerDisconnects = 0;
  /** Messages published by the lab's blast hook (also counted in messagesIn). */
  messagesBlasted = 0;
  /** MESSAGE frames (and the messages in them) dropped by the discard-next fault hook. */
  framesDiscarded = 0;
  messagesDiscarded = 0;
  private readonly startedAt = Date.now();
  private readonly cpuStart = process.cpuUsage();
  private readonly eld: IntervalHistogram;

  constructor() {
    this.eld = monitorEventLoopDelay({ resolution: 10 });
    this.eld.enable();
  }

  stop(): void {
    this.eld.disable();
  }

  reset(): void {
    for (const k of [
      'connectionsOpened',
      'connectionsResumed',
      'messagesIn',
      'messagesOut',
      'framesIn',
      'framesOut',
      'bytesIn',
      'bytesOut',
      'restRequests',
      'corsPreflights',
      'errorsSent',
      'slowConsumerDisconnects',
      'messagesBlasted',
      'framesDiscarded',
      'messagesDiscarded',
    ] as const)
      this[k] = 0;
    this.eld.reset();
  }

  snapshot(gauges: {
    connections: number;
    connectionsDisconnected: number;
    channels: number;
    apps: number;
  }): Record<string, unknown> {
    const cpu = process.cpuUsage(this.cpuStart);
    const uptimeMs = Date.now() - this.startedAt;
    const ms = (ns: number) => (Number.isFinite(ns) ? Math.round(ns / 1e4) / 100 : 0);
    return {
      ...gauges,
      connectionsOpened: this.connectionsOpened,
      connectionsResumed: this.connectionsResumed,
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
      framesIn: this.framesIn,
      framesOut: this.framesOut,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      restRequests: this.restRequests,
      corsPreflights: this.corsPreflights,
      errorsSent: this.errorsSent,
      slowConsumerDisconnects: this.slowConsumerDisconnects,
      messagesBlasted: this.messagesBlasted,
      framesDiscarded: this.framesDiscarded,
      messagesDiscarded: this.messagesDiscarded,
      uptimeMs,
      /** Process CPU time since the server started (all threads of this process). */
      cpu: {
        userMs: cpu.user / 1000,
        systemMs: cpu.system / 1000,
        fractionOfOneCore: uptimeMs ? (cpu.user + cpu.system) / 1000 / uptimeMs : 0,
      },
      /** Event-loop delay since the last reset, in ms. */
      eventLoopDelayMs: {
        mean: ms(this.eld.mean),
        p50: ms(this.eld.percentile(50)),
        p99: ms(this.eld.percentile(99)),
        max: ms(this.eld.max),
      },
      memory: { rssBytes: process.memoryUsage.rss(), heapUsedBytes: process.memoryUsage().heapUsed },
    };
  }
}
