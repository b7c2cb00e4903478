/**
 * The bridge's subscriptions while a daemon is connected: pub/sub
 * (`watcher.` events, plus `output.` when the daemon publishes output) and
 * the stats endpoint (`stat.`), turned into panel messages; and whether
 * live charts and the log tail are available, with the reason when not.
 */
import { errorMessage, type Logger } from '../../../kernel/index';
import type { ClientCurve } from '../../../protocol/curve';
import { decodeOutput, OUTPUT_TOPIC_PREFIX, type DecodedOutput } from '../../../protocol/output-topics';
import { decodeStat, STATS_TOPIC_PREFIX } from '../../../protocol/stats-topics';
import { decodeTopic, WATCHER_TOPIC_PREFIX, type DecodedEvent } from '../../../protocol/topics';
import type { DaemonChannels } from './endpoints';
import { Feed } from './feed';
import { StatsBatcher, toStatSample } from './stats-batcher';
import type { StatSample } from './types';

/** How long after subscribing the first stats frame may take before the panel says why charts are off. */
export const STATS_FIRST_FRAME_MS = 3000;
/** How long without a stats frame means the stats stopped (the streamer publishes every second). */
export const STATS_STALL_MS = 5000;

/** Feature availability as {@link DaemonInfo} carries it. */
export interface Availability {
  stats: boolean;
  statsReason: string | null;
  tail: boolean;
  tailReason: string | null;
}

/** Where the subscriptions deliver. */
export interface SubscriptionSinks {
  event(topic: string, event: DecodedEvent): void;
  output(chunk: DecodedOutput): void;
  stats(samples: StatSample[], time: number): void;
  /** Availability changed. */
  availability(): void;
  /** res_name (as on the wire) to the watcher's own name, where known. */
  watcherName(resName: string): string;
}

/** The reason shown when a daemon does not publish output. */
export const NO_OUTPUT_REASON = 'publish_output is off in circusd (or it is not a circus-ts daemon)';

/** The open subscriptions of one connected period; {@link close} releases all of them. */
export class Subscriptions {
  private readonly feeds: Feed[] = [];
  private readonly batcher: StatsBatcher;
  private readonly watchdog: NodeJS.Timeout;
  private readonly openedAt = Date.now();
  private lastStatAt: number | null = null;
  private statsOpen = false;
  private closed = false;
  /** False while the constructor runs: the owner reads the first availability itself. */
  private ready = false;
  readonly availability: Availability;

  constructor(
    readonly channels: DaemonChannels,
    private readonly sinks: SubscriptionSinks,
    private readonly log: Logger,
    /** CURVE towards the pubsub and stats endpoints (off when absent). */
    private readonly curve?: ClientCurve,
  ) {
    this.batcher = new StatsBatcher((samples, time) => this.sinks.stats(samples, time));
    this.availability = { stats: false, statsReason: null, tail: false, tailReason: null };
    this.openPubsub();
    this.openStats();
    // One slow check for both "never came" and "stopped coming": a timer
    // per frame would cost more than the frames.
    this.watchdog = setInterval(() => this.checkStats(), 1000);
    this.ready = true;
  }

  /** Closes every socket and timer; resolves when the read loops have ended. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.watchdog);
    this.batcher.close();
    for (const feed of this.feeds) feed.close();
    await Promise.all(this.feeds.map((f) => f.done));
  }

  private openPubsub(): void {
    const { pubsub, publishOutput } = this.channels;
    if (pubsub === null) {
      this.setTail(false, 'the daemon reports no pubsub_endpoint');
      return;
    }
    const topics = publishOutput ? [WATCHER_TOPIC_PREFIX, OUTPUT_TOPIC_PREFIX] : [WATCHER_TOPIC_PREFIX];
    try {
      this.feeds.push(new Feed(pubsub, topics, (topic, body) => this.onPubsub(topic, body), this.log, this.curve));
    } catch (error) {
      // Events are a nicety (the periodic refresh keeps the state right): report, do not fail.
      this.log.error(`cannot subscribe to ${pubsub}: ${errorMessage(error)}`);
      this.setTail(false, `cannot subscribe to ${pubsub}: ${errorMessage(error)}`);
      return;
    }
    this.setTail(publishOutput, publishOutput ? null : NO_OUTPUT_REASON);
  }

  private openStats(): void {
    const { stats } = this.channels;
    if (stats === null) {
      this.setStats(false, 'the daemon reports no stats_endpoint');
      return;
    }
    try {
      this.feeds.push(new Feed(stats, [STATS_TOPIC_PREFIX], (topic, body) => this.onStat(topic, body), this.log, this.curve));
    } catch (error) {
      this.log.error(`cannot subscribe to ${stats}: ${errorMessage(error)}`);
      this.setStats(false, `cannot subscribe to ${stats}: ${errorMessage(error)}`);
      return;
    }
    this.statsOpen = true;
    this.setStats(false, `waiting for stats from ${stats}`);
  }

  private onPubsub(topic: Buffer, body: Buffer): void {
    if (this.closed) return;
    const output = decodeOutput(topic, body);
    if (output !== null) {
      this.sinks.output(output);
      return;
    }
    const event = decodeTopic(topic, body);
    if (event !== null) this.sinks.event(topic.toString('utf8'), event);
  }

  private onStat(topic: Buffer, body: Buffer): void {
    if (this.closed) return;
    const stat = decodeStat(topic, body);
    if (stat === null) return;
    this.lastStatAt = Date.now();
    if (!this.availability.stats) this.setStats(true, null);
    const sample = toStatSample(stat, (n) => this.sinks.watcherName(n));
    if (sample !== null) this.batcher.add(sample);
  }

  private checkStats(): void {
    const endpoint = this.channels.stats;
    if (this.closed || endpoint === null || !this.statsOpen) return;
    const now = Date.now();
    if (this.lastStatAt === null) {
      if (now - this.openedAt >= STATS_FIRST_FRAME_MS) this.setStats(false, `no stats from ${endpoint}: is statsd on in circusd?`);
    } else if (now - this.lastStatAt >= STATS_STALL_MS) {
      this.setStats(false, `no stats from ${endpoint} for ${STATS_STALL_MS / 1000} s: is statsd on in circusd?`);
    }
  }

  private setStats(stats: boolean, reason: string | null): void {
    if (this.availability.stats === stats && this.availability.statsReason === reason) return;
    this.availability.stats = stats;
    this.availability.statsReason = reason;
    this.notify();
  }

  private setTail(tail: boolean, reason: string | null): void {
    if (this.availability.tail === tail && this.availability.tailReason === reason) return;
    this.availability.tail = tail;
    this.availability.tailReason = reason;
    this.notify();
  }

  private notify(): void {
    if (!this.ready || this.closed) return;
    try {
      this.sinks.availability();
    } catch (error) {
      this.log.error(`availability listener failed: ${errorMessage(error)}`);
    }
  }
}
