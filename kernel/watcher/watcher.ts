import { setMaxListeners } from 'node:events';
import { ArgumentError, CancelledError, errorMessage, NotFoundError } from '../errors';
import { watcherFacade } from '../hooks/facades';
import { hookLocation, HookResolver } from '../hooks/hook-resolver';
import { HookName } from '../hooks/hook-runner';
import { HookWatcherView } from '../hooks/hook-types';
import { WatcherHooks } from '../hooks/watcher-hooks';
import { Logger } from '../logger';
import { CircusProcess } from '../process/process';
import { WatcherStreams } from '../streams/watcher-streams';
import { KillOptions, ProcessKiller } from './process-killer';
import { RestartPolicy } from './restart-policy';
import { applySettingChange, SetAction, strongerAction } from './set-option';
import { ProcessTable } from './process-table';
import { SpawnQueue } from './spawn-queue';
import { WatcherSettings } from './watcher-settings';
import { StopOptions, WatcherServices, WatcherStatus, WatcherView } from './watcher-types';

export { StopOptions, WatcherServices, WatcherStatus, WatcherView } from './watcher-types';

/** What {@link Watcher.applyOptions} stored and what is left to do. */
export interface AppliedOptions {
  readonly action: SetAction;
  readonly rebuilt: readonly ('stdout_stream' | 'stderr_stream')[];
  readonly streamsBefore: Readonly<Record<'stdout_stream' | 'stderr_stream', Record<string, string>>>;
}

/**
 * N processes of one command: spawning with retries, event-driven respawn
 * (Q15 fix) paced by a RestartPolicy, graceful stop, reload, count changes,
 * max_age, and the state machine of spec/daemon.md 2.6.
 */
export class Watcher implements WatcherView {
  private state: WatcherStatus = 'stopped';
  private readonly procs = new ProcessTable();
  private readonly policy: RestartPolicy;
  private readonly killer: ProcessKiller;
  private readonly log: Logger;
  /** Aborted on stop: cancels warmups, backoff waits and retry pauses. */
  private life = new AbortController();
  private readonly spawns: SpawnQueue;
  private stopping: Promise<void> | null = null;
  /** How the stop in flight kills; later stop calls can only make it harsher. */
  private stopMode: { killDescendants: boolean; cut: AbortController } | null = null;
  private backoffUntil = 0;
  private readonly hooks: WatcherHooks;
  /** What this watcher's hooks receive as `watcher`. */
  readonly facade: HookWatcherView;

  /**
   * `hooks` are the watcher's resolved hooks (WatcherFactory resolves them
   * all up front); without them, hooks resolve on first use against the cwd.
   */
  /** The watcher's output streams and their redirector (spec 4.2). */
  readonly streams: WatcherStreams;
  /** Set by an explicit stop (the default): the stop in flight closes the streams. */
  private closeStreamsOnStop = false;

  constructor(private readonly s: WatcherSettings, private readonly svc: WatcherServices, hooks?: WatcherHooks, streams?: WatcherStreams) {
    // WatcherFactory builds the streams (they may create files); this is for direct embedding.
    this.streams = streams ?? WatcherStreams.build(s, { configDir: process.cwd(), cwd: process.cwd() }, svc.logger);
    this.hooks = hooks ?? new WatcherHooks(s, new HookResolver(hookLocation(null, process.cwd())));
    this.facade = watcherFacade(this, () => this.s.env);
    this.policy = svc.restartPolicies.create(s.restart);
    this.log = svc.logger;
    this.killer = new ProcessKiller(s.name, svc.bus, svc.tree, svc.clock, (hook, args) => this.hook(hook, args));
    this.spawns = new SpawnQueue(s, svc, this.procs, this.policy, {
      canSpawn: () => this.state === 'starting' || this.state === 'active',
      lifeSignal: () => this.life.signal,
      hook: (hook, args) => this.hook(hook, args),
      adopt: (p) => this.adopt(p),
      retire: (victims) => this.retire(victims),
    });
  }

  get name(): string {
    return this.s.name;
  }

  get status(): WatcherStatus {
    return this.state;
  }

  get numprocesses(): number {
    return this.s.numprocesses;
  }

  get priority(): number {
    return this.s.priority;
  }

  get autostart(): boolean {
    return this.s.autostart;
  }

  get onDemand(): boolean {
    return this.s.on_demand;
  }

  get pids(): readonly number[] {
    return this.procs.byPid().map((p) => p.pid);
  }

  get processes(): readonly CircusProcess[] {
    return this.procs.byPid();
  }

  options(): Readonly<WatcherSettings> {
    return { ...this.s, env: { ...this.s.env }, extra: { ...this.s.extra } };
  }

  /**
   * Starts the watcher (spec 2.7.1). Resolves when every process has been
   * spawned (warmup delays included) and the watcher is active, or when it
   * gave up and stopped. An on_demand watcher starts only with `socketEvent`.
   * Rejects with a SocketError when `stdin_socket` names no circus socket.
   */
  async start(opts: { socketEvent?: boolean } = {}): Promise<void> {
    if (this.s.on_demand && !opts.socketEvent) return;
    // Spec 3.4: an unknown stdin_socket fails the start itself (SocketError), not each attempt.
    this.svc.sockets?.checkStdinSocket(this.name, this.s.stdin_socket);
    if (this.state !== 'stopped') {
      if (this.procs.size < this.s.numprocesses) await this.spawns.fill();
      return;
    }
    if (!(await this.hook('before_start', {}))) {
      this.log.debug(`Aborting startup of ${this.name}`);
      return;
    }
    this.state = 'starting';
    this.life = new AbortController();
    this.policy.reset();
    await this.streams.open();
    const ok = await this.spawns.fill();
    if (this.now() !== 'starting') return;
    if (!ok || this.procs.size === 0 || !(await this.hook('after_start', {}))) {
      await this.stop();
      return;
    }
    if (this.now() !== 'starting') return;
    this.state = 'active';
    this.log.info(`${this.name} started`);
    this.svc.bus.emit('start', this.name, { time: this.svc.clock.now() });
  }

  /**
   * Stops the watcher (spec 2.7.2): every process gracefully killed
   * concurrently, reaped with `reap` events, then `stop`. Resolves when no
   * process of the watcher is left; concurrent calls share one stop.
   */
  stop(opts: StopOptions = {}): Promise<void> {
    const closeStreams = opts.closeStreams ?? true;
    if (this.state === 'stopped') return closeStreams ? this.streams.close() : Promise.resolve();
    if (closeStreams) this.closeStreamsOnStop = true;
    if (!this.stopMode) {
      const cut = new AbortController();
      // Every concurrent kill of this stop listens on it: hundreds are normal.
      setMaxListeners(0, cut.signal);
      this.stopMode = { killDescendants: false, cut };
    }
    const mode = this.stopMode;
    if (opts.killDescendants) mode.killDescendants = true;
    if (opts.signal?.aborted) mode.cut.abort();
    else opts.signal?.addEventListener('abort', () => mode.cut.abort(), { once: true });
    if (!this.stopping) {
      this.stopping = this.doStop(mode).finally(() => {
        this.stopping = null;
        this.stopMode = null;
        this.closeStreamsOnStop = false;
      });
    }
    return this.stopping;
  }

  private async doStop(mode: { killDescendants: boolean; cut: AbortController }): Promise<void> {
    this.state = 'stopping';
    this.life.abort();
    this.backoffUntil = 0;
    await this.hook('before_stop', {});
    // An attempt in flight finishes first, so its process is stopped too.
    await this.spawns.drained();
    const victims = this.procs.values();
    await Promise.all(victims.map((p) => this.killer.kill(p, this.killOptions(mode))));
    for (const p of victims) await this.reap(p, null);
    this.policy.reset();
    await this.streams.detach();
    if (this.closeStreamsOnStop) await this.streams.close();
    this.svc.bus.emit('stop', this.name, { time: this.svc.clock.now() });
    this.state = 'stopped';
    await this.hook('after_stop', {});
    this.log.info(`${this.name} stopped`);
  }

  /**
   * Cuts pending waits short (warmup, backoff, retry pauses) without
   * stopping: used by the arbiter when a quit arrives during start-all.
   */
  interrupt(): void {
    this.life.abort();
  }

  /**
   * Forgets every process without signalling it (`rm` with nostop): they
   * keep running unsupervised and their exits are ignored.
   */
  abandon(): void {
    this.life.abort();
    this.procs.clear();
    this.state = 'stopped';
  }

  /** Stop then start (spec 2.7.3). */
  async restart(): Promise<void> {
    await this.stop({ closeStreams: false });
    await this.start();
  }

  /**
   * Graceful reload (spec 2.7.4): SIGHUP with send_hup, one by one with
   * `sequential`, else spawn a new set and let management retire the old.
   */
  async reload(opts: { graceful?: boolean; sequential?: boolean } = {}): Promise<void> {
    const graceful = opts.graceful ?? true;
    if (!graceful) {
      if (opts.sequential) this.log.warning(`${this.name}: sequential reload is ignored when not graceful`);
      await this.restart();
      return;
    }
    if (this.state === 'stopped') {
      await this.start();
      return;
    }
    if (this.s.send_hup) {
      for (const p of this.processes) {
        this.log.info(`SENDING HUP to ${p.pid}`);
        p.signal(1);
      }
    } else if (opts.sequential) {
      for (const p of this.processes) {
        if (this.now() === 'stopped' || this.now() === 'stopping') break;
        await this.killer.kill(p, this.killOptions());
        await this.reap(p, null);
        await this.spawns.serial(async () => {
          const fresh = await this.spawns.spawnOne();
          if (fresh) await this.spawns.warmup(fresh);
        });
      }
    } else {
      await this.spawns.serial(async () => {
        for (let i = 0; i < this.s.numprocesses; i += 1) await this.spawns.spawnOne();
      });
      await this.manageProcesses();
    }
    this.svc.bus.emit('reload', this.name, { time: this.svc.clock.now() });
    this.log.info(`${this.name} reloaded`);
  }

  /** Sets the target count (spec 2.7.5) and reconciles; resolves with the new count. */
  async setNumprocesses(n: number): Promise<number> {
    const target = Math.max(0, Math.trunc(n));
    if (this.s.singleton && target > 1) throw new ArgumentError(`watcher '${this.name}' is a singleton: numprocesses cannot exceed 1`);
    this.s.numprocesses = target;
    await this.manageProcesses();
    return target;
  }

  /** Adds `nb` to the target count. */
  incr(nb = 1): Promise<number> {
    return this.setNumprocesses(this.s.numprocesses + nb);
  }

  /** Removes `nb` from the target count (not below 0). */
  decr(nb = 1): Promise<number> {
    return this.setNumprocesses(this.s.numprocesses - nb);
  }

  /**
   * Changes options at runtime (spec 2.16), publishes `updated` per key,
   * then applies the resulting action; resolves with that action.
   */
  async set(changes: Readonly<Record<string, unknown>>): Promise<SetAction> {
    const applied = this.applyOptions(changes);
    await this.completeSet(applied);
    return applied.action;
  }

  /**
   * The synchronous half of {@link set}: checks every change on a copy
   * first (so a bad value leaves every option as it was: ArgumentError),
   * then stores them and publishes one `updated` per key. The caller then
   * runs {@link completeSet} (the `set` command does it in the background).
   */
  applyOptions(changes: Readonly<Record<string, unknown>>): AppliedOptions {
    const trial: WatcherSettings = { ...this.s };
    for (const [key, value] of Object.entries(changes)) applySettingChange(trial, key, value);
    let action: SetAction = 'none';
    const rebuilt = new Set<'stdout_stream' | 'stderr_stream'>();
    const streamsBefore = { stdout_stream: this.s.stdout_stream, stderr_stream: this.s.stderr_stream };
    for (const [key, value] of Object.entries(changes)) {
      action = strongerAction(action, applySettingChange(this.s, key, value));
      if (key.startsWith('stdout_stream.')) rebuilt.add('stdout_stream');
      if (key.startsWith('stderr_stream.')) rebuilt.add('stderr_stream');
      this.svc.bus.emit('updated', this.name, { time: this.svc.clock.now() });
    }
    return { action, rebuilt: [...rebuilt], streamsBefore };
  }

  /** The asynchronous half of {@link set}: swaps rebuilt streams, then reloads or re-manages. */
  async completeSet(applied: AppliedOptions): Promise<void> {
    // Spec 2.16: a stream key rebuilds that stream and swaps it in.
    for (const which of applied.rebuilt) {
      try {
        await this.streams.rebuild(which, this.s);
      } catch (err) {
        // The old stream stays, so the options must keep describing it.
        this.s[which] = applied.streamsBefore[which];
        throw err;
      }
    }
    if (applied.action === 'reload' && this.state !== 'stopped') await this.reload();
    else if (applied.action === 'manage') await this.manageProcesses();
  }

  /**
   * One process-management run (spec 2.10): expire by max_age, spawn the
   * missing processes (unless a backoff delay is pending), retire the
   * oldest surplus. Used by the housekeeping pass and count changes.
   */
  async manageProcesses(): Promise<void> {
    if (this.state === 'stopped') return;
    if (this.s.max_age > 0) {
      await this.retire(this.procs.expired(this.svc.clock.monotonic(), this.s.max_age, this.s.max_age_variance, this.svc.random));
    }
    if (this.procs.size < this.s.numprocesses && this.state !== 'stopping') {
      if (this.s.respawn) {
        if (this.backoffUntil <= this.svc.clock.monotonic()) {
          const ok = await this.spawns.fill();
          if (!ok && this.now() !== 'stopped') await this.stop({ closeStreams: false });
        }
      } else if (this.procs.size === 0 && !this.s.on_demand) {
        await this.stop({ closeStreams: false });
      }
    }
    if (this.procs.size > this.s.numprocesses) {
      await this.retire(this.procs.newestFirst().slice(this.s.numprocesses));
    }
  }

  /**
   * reap_process of spec 2.9, once the process has exited: drop it from
   * the table, then before_reap, `reap` event, after_reap. `status` is what
   * after_reap sees as process_status (null when circus stopped it).
   */
  private async reap(p: CircusProcess, status: number | null): Promise<void> {
    const info = await p.exited;
    if (!this.procs.delete(p.pid)) return;
    await this.hook('before_reap', { process_pid: p.pid, time: info.time });
    this.svc.bus.emit('reap', this.name, { process_pid: p.pid, time: info.time, exit_code: info.exit_code });
    await this.hook('after_reap', { process_pid: p.pid, time: info.time, exit_code: info.exit_code, process_status: status });
  }

  /** Kills without a reap event (quirk Q17), then drops from the table. */
  private async retire(victims: readonly CircusProcess[]): Promise<void> {
    await Promise.all(
      victims.map(async (p) => {
        await this.killer.kill(p, this.killOptions());
        await p.exited;
        this.procs.delete(p.pid);
      }),
    );
  }

  private killOptions(mode?: { killDescendants: boolean; cut: AbortController }): KillOptions {
    return {
      stopSignal: this.s.stop_signal,
      gracefulTimeout: this.s.graceful_timeout,
      stopChildren: this.s.stop_children,
      // Read when the kill finishes, so an arbiter quit arriving during a
      // plain watcher stop still clears the descendants.
      get killDescendants(): boolean {
        return mode?.killDescendants ?? false;
      },
      signal: mode?.cut.signal,
    };
  }

  /** Starts watching a new process's exit (SpawnQueueHost). */
  private adopt(p: CircusProcess): void {
    this.streams.attach(p);
    void p.exited.then(() => this.onExit(p)).catch((err: unknown) => {
      this.log.error(`${this.name}: handling the exit of ${p.pid} failed: ${errorMessage(err)}`);
    });
  }

  /**
   * A child exited. Ones being killed belong to whoever kills them; any
   * other exit is reaped at once (`reap` event) and replaced as soon as the
   * restart policy allows (Q15 fix: no wait for the housekeeping pass).
   */
  private async onExit(p: CircusProcess): Promise<void> {
    if (p.stopping || !this.procs.has(p.pid)) return;
    await this.reap(p, 2);
    if (this.state !== 'active' && this.state !== 'starting') return;
    if (!this.s.respawn) {
      if (this.procs.size === 0 && !this.s.on_demand) await this.stop({ closeStreams: false });
      return;
    }
    if (this.s.on_demand) {
      // Quirk Q18: straight to stopped, no hooks and no event, until the next connection.
      if (this.procs.size === 0) this.state = 'stopped';
      return;
    }
    const delay = this.policy.afterExit(this.svc.clock.monotonic() - p.startedMonotonic);
    if (delay > 0) {
      this.log.debug(`${this.name}: process ${p.pid} died young; next spawn in ${delay} s`);
      this.backoffUntil = this.svc.clock.monotonic() + delay;
      try {
        await this.svc.clock.sleep(delay, this.life.signal);
      } catch (err) {
        if (err instanceof CancelledError) return;
        throw err;
      }
      this.backoffUntil = 0;
    }
    if (this.state !== 'active' && this.state !== 'starting') return;
    const ok = await this.spawns.fill();
    if (!ok && this.now() !== 'stopped') await this.stop({ closeStreams: false });
  }

  /** The state, read afresh (it changes across awaits; TS would narrow a field read). */
  private now(): WatcherStatus {
    return this.state;
  }

  private hook(hook: HookName, args: Record<string, unknown>): Promise<boolean> {
    return this.svc.hooks.run({ watcher: this.facade, hook, target: this.hooks.get(hook), args });
  }

  /**
   * Sends `signum` to one process of this watcher through the
   * before_signal/after_signal hooks (spec 2.8), for the `signal` command.
   * Resolves true when the signal was delivered (false when the hook
   * vetoed it or the process is gone); NotFoundError for a pid not ours.
   */
  signalProcess(pid: number, signum: number): Promise<boolean> {
    const p = this.procs.byPid().find((proc) => proc.pid === pid);
    if (!p) return Promise.reject(new NotFoundError('process', String(pid)));
    return this.killer.send(p, signum);
  }

  /**
   * The `kill` command (spec 2.8): gracefully kills every process (or only
   * `pid`; an unknown pid matches nothing) with `signum` and
   * `gracefulTimeout` overriding the watcher's, then drops them from the
   * table and, the watcher not being stopped, spawns replacements. Resolves
   * when done.
   */
  async killProcesses(opts: { pid?: number; signum?: number; gracefulTimeout?: number } = {}): Promise<void> {
    const victims = this.procs.values().filter((p) => opts.pid === undefined || p.pid === opts.pid);
    const base = this.killOptions();
    const kill: KillOptions = {
      ...base,
      killDescendants: false,
      stopSignal: opts.signum ?? this.s.stop_signal,
      gracefulTimeout: opts.gracefulTimeout ?? this.s.graceful_timeout,
    };
    const killed = await Promise.all(victims.map(async (p) => ((await this.killer.kill(p, kill)) === 'removed' ? p : null)));
    // Circus collects these internally: `kill` events, no `reap` (spec/protocol.md 4.2), as retire does.
    for (const p of killed) if (p) this.procs.delete(p.pid);
    if (this.state === 'active') await this.manageProcesses();
  }

  /**
   * Lets the `extended_stats` hook enrich the stats map of one process in
   * place (spec 5.1), for the stats command with `extended = true`. Rejects
   * with the hook's own error: that one is not caught.
   */
  extendedStats(pid: number, stats: Record<string, unknown>): Promise<void> {
    return this.svc.hooks.extendedStats({ watcher: this.facade, hook: 'extended_stats', target: this.hooks.get('extended_stats'), args: { pid, stats } });
  }
}
