import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { WatcherRecord } from '../../config/model';
import { Clock } from '../clock';
import { CommandRegistry } from '../commands/registry';
import { AlreadyExistsError, CancelledError, ConflictError, errorMessage, NotFoundError } from '../errors';
import { EventBus } from '../event-bus';
import { Logger } from '../logger';
import { PluginHost } from '../plugin-host';
import type { PluginUnit } from '../plugin-unit';
import { CircusSockets } from '../sockets/circus-sockets';
import { SocketError } from '../sockets/errors';
import { OutputTap } from '../streams/output-tap';
import { CircusConfig } from '../tokens';
import { Watcher } from '../watcher/watcher';
import { WatcherFactory } from '../watcher/watcher-factory';
import { watcherRecord, WatcherOptions } from '../watcher/watcher-record';
import { ExclusiveLock } from './exclusive-lock';
import { priorityOrder } from './priority';
import type { Unit } from './unit';

/** Why the arbiter ended: a plain quit, or a full restart the caller should rebuild. */
export type ArbiterOutcome = 'quit' | 'restart';

/**
 * Owns the watchers: starts them by priority, stops them concurrently,
 * reloads them, runs the housekeeping pass every check_delay, and guards
 * state-changing operations with the exclusive lock. It never touches OS
 * signals, argv, umask or the exit code: cli/ owns those.
 */
@injectable()
export class Arbiter {
  /** Settles when the arbiter has stopped for good ('quit') or for a full restart. */
  readonly done: Promise<ArbiterOutcome>;
  private resolveDone!: (outcome: ArbiterOutcome) => void;
  private readonly list: Watcher[] = [];
  /** `[plugin:NAME]` facades (spec 0.1), listed after the watchers, by name. */
  private readonly facades: PluginUnit[] = [];
  private started = false;
  private stopPromise: Promise<void> | null = null;
  private outcome: ArbiterOutcome = 'quit';
  /** Aborted when stopping: cancels start-all warmups and the housekeeping timer. */
  private readonly life = new AbortController();
  private housekeepingLoop: Promise<void> | null = null;
  /** Watchers added at run time (`add`), as opposed to the config file's. */
  private readonly runtimeAdded = new WeakSet<Watcher>();
  /** Settles once every watcher has stopped during a quit or full restart. */
  private watchersStopped: Promise<void> | null = null;

  constructor(
    @inject(CircusConfig) readonly config: CircusConfig,
    @inject(Logger) private readonly logger: Logger,
    @inject(EventBus) readonly bus: EventBus,
    @inject(ExclusiveLock) readonly lock: ExclusiveLock,
    @inject(WatcherFactory) private readonly factory: WatcherFactory,
    @inject(PluginHost) readonly plugins: PluginHost,
    @inject(Clock) private readonly clock: Clock,
    @inject(CommandRegistry) readonly commands: CommandRegistry,
    @inject(CircusSockets) readonly sockets: CircusSockets,
    /** The watchers' captured output: `outputs.tap(listener)` (kernel/streams/output-tap.ts). */
    @inject(OutputTap) readonly outputs: OutputTap,
  ) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** The watchers in list order (name order, then runtime additions). */
  get watchers(): readonly Watcher[] {
    return [...this.list];
  }

  /**
   * Everything the arbiter orders by priority: the watchers, then the
   * plugin facades (`plugin:NAME`, spec 0.1, 2.14 list order). What
   * list/numwatchers/status/start/stop/restart work on.
   */
  get units(): readonly Unit[] {
    return [...this.list, ...this.facades];
  }

  /** The watcher or facade of that name (case-insensitive), or undefined. */
  findUnit(name: string): Unit | undefined {
    const key = name.toLowerCase();
    return this.units.find((u) => u.name.toLowerCase() === key);
  }

  /** Registers a plugin facade (startup, reloadconfig); AlreadyExistsError when the name is taken. */
  adoptFacade(unit: PluginUnit): void {
    if (this.findUnit(unit.name)) throw new AlreadyExistsError('watcher', unit.name);
    this.facades.push(unit);
  }

  /** Unregisters a plugin facade at once, then stops it; resolves when it has stopped. */
  detachFacade(unit: PluginUnit): Promise<void> {
    const at = this.facades.indexOf(unit);
    if (at >= 0) this.facades.splice(at, 1);
    return unit.stop();
  }

  /** True once a quit or full restart has begun. */
  get stopping(): boolean {
    return this.stopPromise !== null;
  }

  /**
   * Builds the watchers of the config (spec 1.10): one that fails
   * construction is skipped with the warning "Failed to create watcher".
   * Called once by createArbiter.
   */
  loadWatchers(): void {
    const records = [...this.config.watchers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const record of records) {
      try {
        if (this.find(record.name)) throw new AlreadyExistsError('watcher', record.name);
        this.list.push(this.factory.create(record));
      } catch (err) {
        this.logger.warning(`Failed to create watcher: ${errorMessage(err)}`);
      }
    }
  }

  /** The watcher of that name (case-insensitive); throws NotFoundError. */
  getWatcher(name: string): Watcher {
    const w = this.find(name);
    if (!w) throw new NotFoundError('watcher', name);
    return w;
  }

  /** The watcher of that name, or undefined. */
  find(name: string): Watcher | undefined {
    const key = name.toLowerCase();
    return this.list.find((w) => w.name.toLowerCase() === key);
  }

  /**
   * Starts the core plugins, then every autostart watcher in priority order
   * with the arbiter warmup_delay between them (spec 2.11, 2.14), then the
   * housekeeping pass. Resolves when every autostart watcher has started.
   */
  async start(): Promise<void> {
    if (this.started || this.stopping) return;
    this.started = true;
    await this.lock.run('arbiter_start_watchers', async () => {
      this.logger.info(`Starting master on pid ${process.pid}`);
      // Spec 6.1: every `use` must load and every option be valid before anything starts.
      const sections = [...this.config.plugins].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
      for (const prepared of this.plugins.prepareSections(sections)) this.adoptFacade(this.plugins.createUnit(prepared));
      // Spec 2.11 step 2: a bind failure rejects here, before any plugin or watcher.
      await this.sockets.start();
      await this.plugins.startAll();
      this.logger.info('Arbiter now waiting for commands');
      await this.startAllWatchers();
    });
    if (!this.stopping) this.housekeepingLoop = this.housekeeping();
  }

  private startAllWatchers(socketEvent = false): Promise<void> {
    return this.startWatchers(this.units, { socketEvent });
  }

  /**
   * Starts the given watchers and plugin facades whose `autostart` is
   * true, by descending priority, sleeping the arbiter warmup_delay after
   * each (spec 2.14). The caller holds the exclusive lock. Resolves when
   * all have started (or the arbiter began stopping); rejects with the
   * PluginError of a plugin that cannot start.
   */
  async startWatchers(watchers: readonly Unit[], opts: { socketEvent?: boolean } = {}): Promise<void> {
    const socketEvent = opts.socketEvent ?? false;
    try {
      for (const w of priorityOrder(watchers)) {
        if (this.life.signal.aborted) return;
        if (!w.autostart) continue;
        try {
          await w.start({ socketEvent });
        } catch (err) {
          // An unknown stdin_socket fails that watcher only (spec 3.4); the others go on.
          if (!(err instanceof SocketError)) throw err;
          this.logger.error(`${w.name} could not start: ${err.message}`);
          continue;
        }
        // Circus sleeps after each watcher, its plugin watchers included.
        await this.clock.sleep(this.config.warmup_delay, this.life.signal);
      }
    } catch (err) {
      if (err instanceof CancelledError) return;
      throw err;
    }
  }

  /**
   * Graceful quit: waits for a running exclusive operation (a start-all is
   * cut short), stops every watcher concurrently killing every descendant
   * (Q16 fix), clears the timers, stops the plugins. Idempotent: every call
   * returns the same promise. `done` settles afterwards.
   */
  stop(): Promise<void> {
    return this.shutdown('quit', 'wait');
  }

  /** Signal-triggered quit (SIGTERM/SIGINT/SIGQUIT): never dropped (Q38 fix); errors are logged. */
  requestStop(): void {
    this.shutdown('quit', 'wait').catch((err: unknown) => this.logger.error(`stopping the arbiter failed: ${errorMessage(err)}`));
  }

  /** Full restart (spec 7.4.2): stops like quit; `done` resolves 'restart' so the caller rebuilds from the config file. */
  requestRestart(): Promise<void> {
    return this.shutdown('restart', 'wait');
  }

  /**
   * The `quit` and `restart` commands: like {@link stop} and
   * {@link requestRestart}, but the lock (`arbiter_stop` /
   * `arbiter_restart`) is taken now, so a busy arbiter refuses at once
   * with a ConflictError (thrown synchronously). Returns a promise that
   * settles when every watcher has stopped, before plugins (and with them
   * the control endpoint) stop, so a waiting client still gets its reply.
   */
  shutdownNow(outcome: ArbiterOutcome): Promise<void> {
    this.shutdown(outcome, 'now').catch((err: unknown) => this.logger.error(`stopping the arbiter failed: ${errorMessage(err)}`));
    return this.watchersStopped ?? Promise.resolve();
  }

  private shutdown(outcome: ArbiterOutcome, acquire: 'wait' | 'now'): Promise<void> {
    if (this.stopPromise) return this.stopPromise;
    const lockName = outcome === 'quit' ? 'arbiter_stop' : 'arbiter_restart';
    // Spec 1.8: while a full restart runs, other commands read this instead.
    const conflictText = outcome === 'restart' ? 'arbiter is restarting...' : undefined;
    const release = acquire === 'now' ? this.lock.acquire(lockName, conflictText) : null;
    this.outcome = outcome;
    this.life.abort();
    for (const w of this.list) if (w.status === 'starting') w.interrupt();
    let watchersDone!: () => void;
    let watchersFailed!: (err: unknown) => void;
    this.watchersStopped = new Promise<void>((resolve, reject) => {
      watchersDone = resolve;
      watchersFailed = reject;
    });
    this.watchersStopped.catch(() => undefined);
    const body = async (): Promise<void> => {
      this.logger.info('Arbiter exiting');
      try {
        await Promise.all(priorityOrder(this.units).reverse().map((w) => w.stop({ killDescendants: true })));
        watchersDone();
      } catch (err) {
        watchersFailed(err);
        throw err;
      }
      await this.housekeepingLoop;
      try {
        await this.plugins.stopAll();
      } finally {
        // Spec 2.11: sockets close last, unix socket files removed.
        this.sockets.closeAll();
      }
    };
    const run = release ? body().finally(release) : this.lock.runWhenFree(lockName, body, conflictText);
    this.stopPromise = run.finally(() => this.resolveDone(this.outcome));
    return this.stopPromise;
  }

  /** SIGHUP semantics (7.4.1): every watcher gracefully reloaded, in priority order (lock `arbiter_reload`). */
  async reload(): Promise<void> {
    await this.lock.run('arbiter_reload', () => this.reloadWatchers({ graceful: true }));
  }

  /**
   * Reloads every watcher by descending priority (spec 2.16, 7.4.1); a
   * stopped one is started, autostart = false included. The caller holds
   * the exclusive lock.
   */
  async reloadWatchers(opts: { graceful?: boolean; sequential?: boolean } = {}): Promise<void> {
    for (const w of priorityOrder(this.list)) await w.reload(opts);
  }

  /**
   * Stops the given watchers concurrently, leaving their streams open
   * (stop without a name, spec 2.7.2). The caller holds the exclusive lock.
   */
  async stopWatchers(watchers: readonly Unit[]): Promise<void> {
    await Promise.all(watchers.map((w) => w.stop({ closeStreams: false })));
  }

  /** True for a watcher added at run time (`add`), false for one of the config file. */
  isRuntimeAdded(w: Watcher): boolean {
    return this.runtimeAdded.has(w);
  }

  /**
   * Adds a watcher at runtime (event `add`); starts it when `start` is true.
   * Throws AlreadyExistsError (names compare case-insensitively),
   * ConstructionError, or ConflictError.
   */
  async addWatcher(options: WatcherRecord | WatcherOptions, opts: { start?: boolean } = {}): Promise<Watcher> {
    return this.lock.run('arbiter_add_watcher', async () => {
      const w = this.insertWatcher(options);
      if (opts.start) await w.start();
      return w;
    });
  }

  /**
   * Builds a watcher and registers it now (event `add` unless `silent`,
   * which reloadconfig uses: spec 2.17). Synchronous; the caller holds the
   * exclusive lock. Throws AlreadyExistsError or ConstructionError, and
   * then nothing was registered.
   */
  insertWatcher(options: WatcherRecord | WatcherOptions, opts: { silent?: boolean; runtime?: boolean } = {}): Watcher {
    const record = typeof (options as WatcherRecord).__name__ === 'string' ? (options as WatcherRecord) : watcherRecord(options as WatcherOptions);
    if (this.find(record.name)) throw new AlreadyExistsError('watcher', record.name);
    const w = this.factory.create(record);
    return this.adoptWatcher(w, opts);
  }

  /** Builds a watcher from a record without registering it (reloadconfig validates first). */
  buildWatcher(record: WatcherRecord): Watcher {
    return this.factory.create(record);
  }

  /** Registers a watcher built by {@link buildWatcher} (event `add` unless `silent`). */
  adoptWatcher(w: Watcher, opts: { silent?: boolean; runtime?: boolean } = {}): Watcher {
    if (this.find(w.name)) throw new AlreadyExistsError('watcher', w.name);
    this.list.push(w);
    if (opts.runtime ?? !opts.silent) this.runtimeAdded.add(w);
    if (!opts.silent) this.bus.emit('add', w.name, { time: this.clock.now() });
    return w;
  }

  /**
   * Removes a watcher (event `remove`) at once, so list/numwatchers reflect
   * it, then stops it unless `nostop`, in which case its processes keep
   * running unsupervised (as Circus). Lock `arbiter_rm_watcher`.
   */
  async removeWatcher(name: string, opts: { nostop?: boolean } = {}): Promise<void> {
    await this.lock.run('arbiter_rm_watcher', () => this.detachWatcher(this.getWatcher(name), opts));
  }

  /**
   * Unregisters `w` synchronously (event `remove` unless `silent`), then
   * stops it (or abandons its processes with `nostop`); resolves when it
   * is stopped. The caller holds the exclusive lock.
   */
  detachWatcher(w: Watcher, opts: { nostop?: boolean; silent?: boolean } = {}): Promise<void> {
    const at = this.list.indexOf(w);
    if (at >= 0) this.list.splice(at, 1);
    if (!opts.silent) this.bus.emit('remove', w.name, { time: this.clock.now() });
    if (opts.nostop) {
      w.abandon();
      return Promise.resolve();
    }
    return w.stop();
  }

  /** Runs `task` as an exclusive operation (for commands); ConflictError when busy. */
  exclusive<T>(name: string, task: () => Promise<T>): Promise<T> {
    return this.lock.run(name, task);
  }

  /**
   * One housekeeping pass (spec 2.10): process management of every watcher
   * concurrently (max_age, reconciling counts), then the on_demand point.
   * Refused with a logged ConflictError while another exclusive op runs.
   */
  async managementPass(): Promise<void> {
    if (this.stopping) return;
    try {
      await this.lock.run('manage_watchers', async () => {
        await Promise.all(priorityOrder(this.list).map((w) => w.manageProcesses()));
        await this.onDemandPass();
      });
    } catch (err) {
      if (err instanceof ConflictError) this.logger.error(`management pass refused: ${err.message}`);
      else this.logger.error(`management pass failed: ${errorMessage(err)}`);
    }
  }

  /**
   * on_demand (spec 2.15): while any on_demand watcher is stopped, polls
   * every circus socket with a zero timeout (nothing is accepted, so the
   * worker gets the connection); a pending connection on any socket starts
   * all autostart watchers (quirk Q19). Runs inside the pass's lock.
   */
  protected async onDemandPass(): Promise<void> {
    if (!this.list.some((w) => w.onDemand && w.status === 'stopped')) return;
    if (!this.sockets.anyReadable()) return;
    this.logger.debug('a circus socket is readable: starting the on_demand watchers');
    await this.startAllWatchers(true);
  }

  private async housekeeping(): Promise<void> {
    const delay = this.config.check_delay;
    if (!(delay > 0)) return;
    while (!this.life.signal.aborted) {
      try {
        await this.clock.sleep(delay, this.life.signal);
      } catch (err) {
        if (err instanceof CancelledError) return;
        throw err;
      }
      await this.managementPass();
    }
  }
}
