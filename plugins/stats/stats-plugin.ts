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
import { Publisher } from 'zeromq';
import {
  Arbiter,
  type CircusPlugin,
  CircusConfig,
  type Disposable,
  errorMessage,
  EventBus,
  Logger,
  ProcessSampler,
  resolveUser,
  runEvery,
} from '../../kernel/index';
import { ipcPath, removeIpcFile, secureIpcFile } from '../../protocol/ipc-file';
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
  private socket: Publisher | null = null;
  private ipcFile: string | null = null;
  private ticker: Disposable | null = null;
  private readonly reads: SocketReadCounter;
  private readonly queue: [string, string][] = [];
  private pump: Promise<void> | null = null;
  private dropped = 0;

  constructor(
    @inject(Arbiter) private readonly arbiter: Arbiter,
    @inject(CircusConfig) private readonly config: CircusConfig,
    @inject(ProcessSampler) private readonly sampler: ProcessSampler,
    @inject(EventBus) private readonly bus: EventBus,
    @inject(Logger) private readonly logger: Logger,
  ) {
    this.reads = new SocketReadCounter(arbiter.sockets);
  }

  /** Binds the stats endpoint and starts sampling; rejects with StatsEndpointError naming the endpoint. */
  async start(): Promise<void> {
    const endpoint = this.config.stats_endpoint;
    const socket = new Publisher({ linger: 0 });
    try {
      await socket.bind(endpoint);
    } catch (err) {
      socket.close();
      throw new StatsEndpointError(`could not bind stats_endpoint ${endpoint}: ${errorMessage(err)}`, { cause: err });
    }
    this.socket = socket;
    this.ipcFile = ipcPath(endpoint);
    try {
      if (this.ipcFile !== null) await secureIpcFile(this.ipcFile, 'stats socket file', this.config.endpoint_owner, async (name) => (await resolveUser(name)).uid);
    } catch (err) {
      await this.stop();
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
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    await this.pump;
    this.queue.length = 0;
    if (this.ipcFile !== null) {
      try {
        removeIpcFile(this.ipcFile);
      } catch (err) {
        this.logger.warning(`could not remove the stats socket file ${this.ipcFile}: ${errorMessage(err)}`);
      }
      this.ipcFile = null;
    }
  }

  /** One sample of everything: frames queued for the socket, one bus event. */
  async tick(): Promise<void> {
    if (this.socket === null) return;
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
    for (const f of frames) {
      if (this.queue.length >= MAX_QUEUED_FRAMES) {
        if (this.dropped++ === 0) this.logger.warning(`stats: more than ${MAX_QUEUED_FRAMES} frames waiting; dropping new ones`);
        continue;
      }
      this.queue.push(f);
    }
    if (this.pump === null && this.queue.length > 0) this.pump = this.drain();
  }

  /** The single sender: one send in flight (zeromq.js allows no more). */
  private async drain(): Promise<void> {
    try {
      for (let frames = this.queue.shift(); frames !== undefined; frames = this.queue.shift()) {
        const socket = this.socket;
        if (socket === null) break;
        try {
          await socket.send(frames);
        } catch (err) {
          if (!socket.closed) this.logger.warning(`stats: could not publish ${frames[0]}: ${errorMessage(err)}`);
        }
      }
    } finally {
      this.pump = null;
    }
  }
}
