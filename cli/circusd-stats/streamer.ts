/**
 * The standalone stats streamer (spec/protocol.md 5.1-5.2): every second it
 * samples the pids circusd reported with plugins/stats's sampler (the one
 * circusd's stats command and in-process streamer use) and publishes `stat.<watcher>.<pid>`,
 * `stat.<watcher>`, `stat.circus.<pid>` and `stat.circus` on a PUB socket.
 * Socket hit counts (`stat.sockets*`) need circusd's listening descriptors,
 * which a process started by hand does not inherit: they are not published.
 */
import { Publisher } from 'zeromq';
import type { Logger, ProcessInfo, ProcessSampler } from '../../kernel/index';
import { createProcessSampler } from '../../plugins/stats/create-sampler';
import { CircusClient } from '../../protocol/client';
import type { ClientCurve } from '../../protocol/curve';
import { aggregateStats, encodeStat } from '../../protocol/stats-topics';
import { CircusSubscriber } from '../../protocol/subscriber';
import { fetchPids, type PidMap } from './pid-tracker';

/** Options of {@link StatsStreamer}. */
export interface StatsStreamerOptions {
  readonly endpoint: string;
  readonly pubsub: string;
  readonly statspoint: string;
  readonly logger: Logger;
  /** Sampling period; Circus's is a fixed second. */
  readonly intervalMs?: number;
  /**
   * CURVE towards circusd's control and pub/sub endpoints. The stats
   * endpoint this process binds stays plain: bind it on loopback or ipc.
   */
  readonly curve?: ClientCurve;
}

type Message = [topic: string, body: string];

/** The streamer; {@link start} binds and begins, {@link stop} closes every socket. */
export class StatsStreamer {
  private readonly publisher = new Publisher({ linger: 0 });
  private readonly client: CircusClient;
  private readonly events: CircusSubscriber;
  private readonly sampler: ProcessSampler = createProcessSampler();
  private pids: PidMap = { watchers: new Map(), circus: [] };
  private stale = true;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly opts: StatsStreamerOptions) {
    this.client = new CircusClient({ endpoint: opts.endpoint, timeout: 5, curve: opts.curve });
    this.events = new CircusSubscriber({ endpoint: opts.pubsub, topics: ['watcher.'], curve: opts.curve });
  }

  /** Binds the stats endpoint, learns the pids (rejects if circusd does not answer), starts sampling. */
  async start(): Promise<void> {
    await this.publisher.bind(this.opts.statspoint);
    this.events.connect();
    void this.followEvents();
    await this.refresh();
    const period = this.opts.intervalMs ?? 1000;
    this.timer = setInterval(() => {
      // One tick at a time: a slow sample delays the next instead of piling up.
      this.ticking = this.ticking.then(() => this.tick());
    }, period);
  }

  /** Stops sampling and closes the sockets. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.ticking;
    this.events.close();
    this.client.close();
    this.publisher.close();
  }

  private async followEvents(): Promise<void> {
    try {
      // Any spawn, reap, add, remove, start or stop changes the pid lists.
      for await (const _event of this.events) this.stale = true;
    } catch (err) {
      if (!this.stopped) this.opts.logger.error(`pub/sub ${this.opts.pubsub} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async refresh(): Promise<void> {
    this.pids = await fetchPids(this.client, process.pid);
    this.stale = false;
    const all = [...this.pids.watchers.values()].flat().concat(this.pids.circus.map((c) => c.pid));
    this.sampler.retain(all);
    this.opts.logger.debug(`sampling ${all.length} pids of ${this.pids.watchers.size} watchers`);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      if (this.stale) await this.refresh();
      const messages = await this.sample();
      for (const message of messages) {
        if (this.stopped) return;
        await this.publisher.send(message);
      }
    } catch (err) {
      // Keep streaming: circusd may be restarting; the next tick asks again.
      this.stale = true;
      this.opts.logger.warning(`stats sample failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async sample(): Promise<Message[]> {
    const messages: Message[] = [];
    for (const [watcher, pids] of this.pids.watchers) {
      const infos = await this.infos(pids.map((pid) => ({ pid, name: null })));
      // A watcher's topics stop when its last pid is gone (spec 5.2).
      if (infos.length === 0) continue;
      for (const info of infos) messages.push(encodeStat(watcher, info.pid, info));
      messages.push(encodeStat(watcher, null, aggregateStats(infos)));
    }
    const own = await this.infos(this.pids.circus);
    for (const info of own) messages.push(encodeStat('circus', info.pid, info));
    if (own.length > 0) messages.push(encodeStat('circus', null, aggregateStats(own)));
    return messages;
  }

  private async infos(wanted: readonly { pid: number; name: string | null }[]): Promise<(ProcessInfo & { subtopic: number; name: string | null })[]> {
    const found = await this.sampler.sample(wanted.map((w) => w.pid));
    const out: (ProcessInfo & { subtopic: number; name: string | null })[] = [];
    for (const w of wanted) {
      const info = found.get(w.pid);
      // A pid that died since the last refresh: drop it and ask circusd again next tick.
      if (info === undefined) this.stale = true;
      else out.push({ ...info, subtopic: w.pid, name: w.name });
    }
    return out;
  }
}
