/**
 * The stats streamer (spec/daemon.md 6.4, spec/protocol.md 5.1-5.2), run
 * in process as the `circusd-stats` facade when `[circus] statsd` is true.
 * Every second it samples every watcher process through the shared
 * ProcessSampler (the one `stats`/`dstats` answer from), publishes the
 * `stat.*` frames on a PUB socket bound on `stats_endpoint`, and emits a
 * `stats.sample` bus event with the aggregates for other plugins. PUB
 * drops for absent or slow subscribers, so none can stall the sampler.
 */
import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import {
  Arbiter,
  type CircusPlugin,
  CircusConfig,
  ConfigPath,
  type Disposable,
  errorMessage,
  EventBus,
  Logger,
  ProcessSampler,
  resolveUser,
  runEvery,
} from '../../kernel/index';
import { curveServerSocketOptions, loadCurveServer } from '../../protocol/curve-server';
import { QueuedPublisher } from '../../protocol/queued-publisher';
import type { StatAggregateBody } from '../../protocol/stats-topics';
import { StatsEndpointError } from './errors';
import { SocketReadCounter } from './socket-reads';
import { groupFrames, socketFrames, statsGroups } from './stats-collector';

/** Seconds between two samples (Circus: 1 s, fixed). */
export const STATS_INTERVAL_SECONDS = 1;

/** Frames waiting beyond this are dropped: only a stalled event loop fills the queue. */
const MAX_QUEUED_FRAMES = 20_000;

/** The bus event of one tick: per stats name (watchers and `circus`), the `stat.<name>` aggregate. */
export interface StatsSampleEvent {
  time: number;
  watchers: Record<string, StatAggregateBody>;
}

declare module '../../kernel/events' {
  interface CircusEvents {
    /** One stats tick (emitted with watcher `circusd-stats`). */
    'stats.sample': StatsSampleEvent;
  }
}

/** The facade name Circus gives the stats streamer (spec/daemon.md 6.4). */
export const STATS_FACADE_NAME = 'circusd-stats';

/** The stats streamer plugin (resolved by the circusd-stats facade). */
@injectable()
export class StatsPlugin implements CircusPlugin {
  private publisher: QueuedPublisher | null = null;
  private ticker: Disposable | null = null;
  private readonly reads: SocketReadCounter;

  constructor(
    @inject(Arbiter) private readonly arbiter: Arbiter,
    @inject(CircusConfig) private readonly config: CircusConfig,
    @inject(ProcessSampler) private readonly sampler: ProcessSampler,
    @inject(EventBus) private readonly bus: EventBus,
    @inject(Logger) private readonly logger: Logger,
    @inject(ConfigPath) private readonly configPath: string | null,
  ) {
    this.reads = new SocketReadCounter(arbiter.sockets);
  }

  /** Binds the stats endpoint and starts sampling; rejects with StatsEndpointError naming the endpoint. */
  async start(): Promise<void> {
    const endpoint = this.config.stats_endpoint;
    try {
      // A bad key file is reported by the zap plugin first; this only keeps the endpoint from binding without CURVE.
      const curve = loadCurveServer(this.config, this.configPath);
      this.publisher = await QueuedPublisher.bind({
        endpoint,
        key: 'stats_endpoint',
        label: 'stats',
        owner: this.config.endpoint_owner,
        resolveUid: async (name) => (await resolveUser(name)).uid,
        maxQueued: MAX_QUEUED_FRAMES,
        log: this.logger,
        socketOptions: curveServerSocketOptions(curve),
        // Samples are superseded every second: nothing to flush at close.
        flushMs: 0,
      });
    } catch (err) {
      throw new StatsEndpointError(errorMessage(err), { cause: err });
    }
    this.ticker = runEvery(STATS_INTERVAL_SECONDS, () => this.tick(), this.logger);
    this.logger.debug(`stats endpoint publishing on ${endpoint}`);
  }

  /** Stops sampling, closes the socket and removes its ipc file. */
  async stop(): Promise<void> {
    this.ticker?.dispose();
    this.ticker = null;
    this.reads.stop();
    const publisher = this.publisher;
    this.publisher = null;
    await publisher?.close();
  }

  /** One sample of everything: frames queued for the socket, one bus event. */
  async tick(): Promise<void> {
    if (this.publisher === null) return;
    const groups = statsGroups(this.arbiter.watchers, process.pid);
    const all = groups.flatMap((g) => g.pids);
    const sampled = await this.sampler.sample(all);
    this.sampler.retain(all);
    const watchers: Record<string, StatAggregateBody> = {};
    for (const group of groups) {
      const { frames, aggregate } = groupFrames(group, sampled);
      watchers[group.name] = aggregate;
      this.enqueue(frames);
    }
    if (this.arbiter.sockets.list().some((s) => s.bound)) this.reads.start();
    this.enqueue(socketFrames(this.reads.take()));
    this.bus.emit('stats.sample', STATS_FACADE_NAME, { time: Date.now() / 1000, watchers });
  }

  private enqueue(frames: [string, string][]): void {
    this.publisher?.publish(frames);
  }
}
