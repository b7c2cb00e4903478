/**
 * One circusd as the panel sees it, spoken to only through the Circus wire
 * (control DEALER, pub/sub SUB, stats SUB), so the panel works against a
 * Python circusd too. The bridge learns the daemon's channels from
 * `globaloptions`, keeps the watchers' state with `status` + `list`
 * (after each event, debounced, and every check_delay seconds), turns
 * events, stats and output frames into panel messages, and when the daemon
 * is down says so and retries with a bounded backoff, never crashing and
 * never keeping a socket of a lost connection.
 */
import { errorMessage, toDisposable, type Disposable, type Logger } from '../../../kernel/index';
import type { DecodedOutput } from '../../../protocol/output-topics';
import { resourceName, type DecodedEvent } from '../../../protocol/topics';
import { BridgeCallError } from './bridge-call-error';
import { ClientSlot } from './client-slot';
import { channelsChanged, readGlobalOptions, retryDelayMs, type DaemonChannels } from './endpoints';
import { Subscriptions, type SubscriptionSinks } from './subscriptions';
import type { BridgeTarget, DaemonInfo, PanelMessage, StatSample, WatcherState } from './types';
import { readWatcherState, sameWatchers } from './watcher-state';

/** Commands that change nothing: no state refresh after them. */
export const READ_ONLY_COMMANDS: ReadonlySet<string> = new Set([
  'status', 'list', 'stats', 'dstats', 'options', 'get', 'globaloptions', 'numprocesses', 'numwatchers', 'listsockets',
]);

/** How long an event waits for the rest of its burst before the state is read again. */
export const EVENT_DEBOUNCE_MS = 100;

const NOT_CONNECTED = 'the daemon is not connected';

/** A live view of one circusd for the panel; see the file comment. */
export class DaemonBridge {
  readonly id: string;
  /** The bridge's own calls (globaloptions, status, list). */
  private readonly slot: ClientSlot;
  /** The panel users' calls, on their own DEALER: a slow command of theirs must not cost the monitoring its client. */
  private readonly userSlot: ClientSlot;
  private readonly listeners = new Set<(m: PanelMessage) => void>();
  private current: DaemonInfo;
  private watchers: WatcherState[] = [];
  private names = new Map<string, string>();
  private channels: DaemonChannels | null = null;
  private subs: Subscriptions | null = null;
  private readonly closing = new Set<Promise<void>>();
  /** Bumped on every lost connection and on stop: continuations of an older one do nothing. */
  private generation = 0;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  private starting: Promise<void> | null = null;
  private connecting: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly target: BridgeTarget,
    private readonly log: Logger,
  ) {
    this.id = target.id;
    const timeout = target.timeout ?? 5;
    this.slot = new ClientSlot(target.endpoint, timeout, target.curve);
    this.userSlot = new ClientSlot(target.endpoint, timeout, target.curve);
    this.current = {
      id: target.id,
      label: target.label,
      endpoint: target.endpoint,
      connected: false,
      error: null,
      stats: false,
      statsReason: NOT_CONNECTED,
      tail: false,
      tailReason: NOT_CONNECTED,
    };
  }

  /**
   * Connects: resolves once the first attempt has settled, connected or
   * not. Never rejects because the daemon is down: {@link info} then says
   * connected=false with the error, and the bridge keeps retrying.
   */
  start(): Promise<void> {
    if (this.stopping !== null) return Promise.resolve();
    this.starting ??= this.connect();
    return this.starting;
  }

  /** Closes every socket and timer; resolves when the read loops have ended. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  /** What is known of the daemon now (a copy). */
  info(): DaemonInfo {
    return { ...this.current };
  }

  /** The last known watchers, sorted by name (a copy). */
  state(): WatcherState[] {
    return this.watchers.map((w) => ({ ...w, pids: [...w.pids] }));
  }

  /**
   * Sends a Circus command and resolves with the reply as is (an error
   * reply included). Rejects with a {@link BridgeCallError} naming the
   * endpoint and command when no reply came (timeout, unreachable, stopped).
   */
  async call(command: string, properties: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.stopping !== null) throw new BridgeCallError(this.target.endpoint, command, 'the panel is stopping');
    let reply: Record<string, unknown>;
    try {
      reply = await this.userSlot.call(command, properties);
    } catch (error) {
      // No reply: check the daemon now rather than at the next tick.
      if (this.current.connected) this.probe();
      throw error;
    }
    if (!this.current.connected) this.probe();
    else if (!READ_ONLY_COMMANDS.has(command)) this.scheduleRefresh();
    return reply;
  }

  /** Adds a listener of every panel message; dispose it to remove it. */
  onMessage(listener: (m: PanelMessage) => void): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  private connect(): Promise<void> {
    this.connecting ??= this.attempt().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async attempt(): Promise<void> {
    const gen = this.generation;
    try {
      const channels = readGlobalOptions(await this.slot.call('globaloptions', {}), this.target.endpoint);
      const watchers = await readWatcherState((c, p) => this.slot.call(c, p));
      if (gen !== this.generation) return;
      this.channels = channels;
      this.openSubscriptions(channels);
      if (this.failures > 0) this.log.info(`${this.describe()}: connected again`);
      else this.log.debug(`${this.describe()}: connected`);
      this.failures = 0;
      this.updateInfo({ connected: true, error: null, ...this.availability() });
      this.applyState(watchers, true);
      this.scheduleTick();
    } catch (error) {
      if (gen === this.generation) this.lose(error);
    }
  }

  private lose(error: unknown): void {
    if (this.stopping !== null) return;
    this.generation += 1;
    this.clearTimers();
    this.closeSubscriptions();
    this.failures += 1;
    const text = errorMessage(error);
    const delay = retryDelayMs(this.failures);
    // A daemon that stays down must not fill the log: say it once, then at debug level.
    if (this.current.connected || this.failures === 1) this.log.warning(`${this.describe()}: ${text}; retrying every few seconds`);
    else this.log.debug(`${this.describe()}: ${text}; retrying in ${delay} ms`);
    this.updateInfo({ connected: false, error: text, stats: false, statsReason: NOT_CONNECTED, tail: false, tailReason: NOT_CONNECTED });
    const gen = this.generation;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (gen === this.generation && this.stopping === null) void this.connect();
    }, delay);
  }

  /** Checks the daemon at once: a tick when connected, the next attempt when not. */
  private probe(): void {
    if (this.stopping !== null) return;
    if (this.tickTimer !== undefined) {
      clearTimeout(this.tickTimer);
      this.tickTimer = undefined;
      void this.tick(this.generation);
    } else if (this.retryTimer !== undefined) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      void this.connect();
    }
  }

  private scheduleTick(): void {
    const gen = this.generation;
    const delay = (this.channels?.checkDelay ?? 5) * 1000;
    this.tickTimer = setTimeout(() => {
      this.tickTimer = undefined;
      void this.tick(gen);
    }, delay);
  }

  /** The periodic check: globaloptions (channels may change with a restarted daemon), then the state. */
  private async tick(gen: number): Promise<void> {
    if (gen !== this.generation) return;
    try {
      const channels = readGlobalOptions(await this.slot.call('globaloptions', {}), this.target.endpoint);
      if (gen !== this.generation) return;
      if (this.channels === null || channelsChanged(this.channels, channels)) {
        this.log.info(`${this.describe()}: channels changed, subscribing again`);
        this.openSubscriptions(channels);
        this.updateInfo(this.availability());
      }
      this.channels = channels;
    } catch (error) {
      if (gen === this.generation) this.lose(error);
      return;
    }
    await this.refreshState();
    if (gen === this.generation && this.tickTimer === undefined) this.scheduleTick();
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer !== undefined || !this.current.connected) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refreshState();
    }, EVENT_DEBOUNCE_MS);
  }

  /** Reads the state once; a request while a read runs asks for one more after it. */
  private refreshState(): Promise<void> {
    if (this.refreshing !== null) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    const gen = this.generation;
    const run = (async (): Promise<void> => {
      try {
        const watchers = await readWatcherState((c, p) => this.slot.call(c, p));
        if (gen === this.generation) this.applyState(watchers);
      } catch (error) {
        if (gen === this.generation) this.lose(error);
      }
    })().finally(() => {
      if (this.refreshing === run) this.refreshing = null;
      // Asked for while this read ran (maybe by a newer connection): one more, debounced.
      if (this.refreshAgain) {
        this.refreshAgain = false;
        this.scheduleRefresh();
      }
    });
    this.refreshing = run;
    return run;
  }

  private applyState(watchers: WatcherState[], force = false): void {
    if (!force && sameWatchers(this.watchers, watchers)) return;
    this.watchers = watchers;
    this.names = new Map(watchers.map((w) => [resourceName(w.name), w.name]));
    this.emit({ type: 'state', daemon: this.id, watchers: this.state() });
  }

  private openSubscriptions(channels: DaemonChannels): void {
    this.closeSubscriptions();
    const sinks: SubscriptionSinks = {
      event: (topic, event) => this.onEvent(topic, event),
      output: (chunk) => this.onOutput(chunk),
      stats: (samples, time) => this.onStats(samples, time),
      availability: () => this.updateInfo(this.availability()),
      watcherName: (res) => this.watcherName(res),
    };
    this.subs = new Subscriptions(channels, sinks, this.log, this.target.curve);
  }

  private closeSubscriptions(): void {
    const subs = this.subs;
    this.subs = null;
    if (subs === null) return;
    const closed = subs.close().finally(() => this.closing.delete(closed));
    this.closing.add(closed);
  }

  private availability(): Pick<DaemonInfo, 'stats' | 'statsReason' | 'tail' | 'tailReason'> {
    const a = this.subs?.availability;
    if (a === undefined) return { stats: false, statsReason: NOT_CONNECTED, tail: false, tailReason: NOT_CONNECTED };
    return { stats: a.stats, statsReason: a.statsReason, tail: a.tail, tailReason: a.tailReason };
  }

  /** The watcher's own name for a wire res_name (lower-cased, spaces as `_`), where the state knows it. */
  private watcherName(res: string): string {
    return this.names.get(res) ?? res;
  }

  private onEvent(topic: string, event: DecodedEvent): void {
    this.emit({ type: 'event', daemon: this.id, topic, watcher: this.watcherName(event.watcher), event: event.name, data: event.payload });
    this.scheduleRefresh();
  }

  private onOutput(chunk: DecodedOutput): void {
    this.emit({ type: 'output', daemon: this.id, watcher: this.watcherName(chunk.watcher), stream: chunk.stream, pid: chunk.pid, data: chunk.data, time: chunk.time });
  }

  private onStats(samples: StatSample[], time: number): void {
    this.emit({ type: 'stats', daemon: this.id, time, samples });
  }

  private updateInfo(patch: Partial<DaemonInfo>): void {
    const next = { ...this.current, ...patch };
    const changed = (Object.keys(next) as (keyof DaemonInfo)[]).some((k) => next[k] !== this.current[k]);
    if (!changed) return;
    this.current = next;
    this.emit({ type: 'daemon', daemon: this.id, info: this.info() });
  }

  private emit(message: PanelMessage): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch (error) {
        // A broken listener (a closed websocket) must not stop the others nor the bridge.
        this.log.error(`${this.describe()}: listener of '${message.type}' failed: ${errorMessage(error)}`);
      }
    }
  }

  private clearTimers(): void {
    for (const timer of [this.retryTimer, this.tickTimer, this.refreshTimer]) if (timer !== undefined) clearTimeout(timer);
    this.retryTimer = this.tickTimer = this.refreshTimer = undefined;
  }

  private async shutdown(): Promise<void> {
    this.generation += 1;
    this.clearTimers();
    this.slot.close();
    this.userSlot.close();
    this.closeSubscriptions();
    // Calls in flight reject at once on the closed clients, so these settle quickly.
    await Promise.all([...this.closing, this.connecting, this.refreshing]);
    this.listeners.clear();
  }

  private describe(): string {
    return `daemon '${this.target.label}' at ${this.target.endpoint}`;
  }
}
