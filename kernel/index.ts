/**
 * The public face of the kernel and its embedding API. cli/ and plugins/
 * import only this file.
 *
 * ```ts
 * const arbiter = createArbiter({ config: defaultCircusConfig({ watchers: [{ name: 'web', cmd: 'node server.js' }] }) });
 * await arbiter.start();   // every autostart watcher is running
 * await arbiter.stop();    // all stopped, no descendant left
 * ```
 */
import 'reflect-metadata';
import { container as rootContainer, DependencyContainer, InjectionToken } from 'tsyringe';
import { CircusConfig as CircusConfigModel } from '../config/model';
import { Arbiter } from './arbiter/arbiter';
import { ExclusiveLock } from './arbiter/exclusive-lock';
import { Clock, MathRandom, Random, SystemClock } from './clock';
import { CommandRegistry } from './commands/registry';
import { EventBus } from './event-bus';
import { HookRunner, NoHookRunner } from './hooks/hook-runner';
import { Logger, NullLogger } from './logger';
import { PluginHost, KernelContainer } from './plugin-host';
import { LinuxProcessTree, ProcessTree } from './process/proc-tree';
import { NodeSpawner, Spawner } from './process/spawner';
import { CircusConfig, ConfigPath } from './tokens';
import { BackoffRestartPolicyFactory, RestartPolicyFactory } from './watcher/restart-policy';
import { HostEnvironment, WatcherFactory } from './watcher/watcher-factory';

export { Arbiter, ArbiterOutcome } from './arbiter/arbiter';
export { ExclusiveLock } from './arbiter/exclusive-lock';
export { defaultCircusConfig, CircusConfigOverrides } from './arbiter/default-config';
export { priorityOrder } from './arbiter/priority';
export { Clock, Random, SystemClock, MathRandom, cancellableDelay } from './clock';
export { CommandRegistry, CommandDefinition } from './commands/registry';
export { Disposable, DisposableStore, toDisposable } from './disposable';
export * from './errors';
export { EventBus, EventListener } from './event-bus';
export * from './events';
export { HookCall, HookName, HookRunner, NoHookRunner, pyTruthy } from './hooks/hook-runner';
export { Logger, LogLevel, NullLogger } from './logger';
export { CorePlugin, KernelContainer, PluginHost, PluginRegistration } from './plugin-host';
export { ExitInfo, ProcessStatus, ProcessView } from './process/process';
export { ProcessRef, ProcessTree, LinuxProcessTree } from './process/proc-tree';
export { ChildHandle, ExitStatus, Identity, NodeSpawner, SpawnSpec, Spawner, StdioSpec } from './process/spawner';
export { shlexQuote, shlexSplit } from './process/shlex';
export { CircusConfig, ConfigPath } from './tokens';
export {
  BackoffRestartPolicy,
  BackoffRestartPolicyFactory,
  DEFAULT_RESTART_POLICY,
  RestartPolicy,
  RestartPolicyFactory,
  RestartPolicySettings,
} from './watcher/restart-policy';
export { SetAction } from './watcher/set-option';
export { StopOptions, Watcher, WatcherStatus, WatcherView } from './watcher/watcher';
export { HostEnvironment, WatcherFactory } from './watcher/watcher-factory';
export { watcherRecord, WatcherOptions } from './watcher/watcher-record';
export { WatcherSettings } from './watcher/watcher-settings';

/** Options of {@link createArbiter}. */
export interface CreateArbiterOptions {
  /** The loaded config (config/ loader) or {@link defaultCircusConfig} for embedding. */
  readonly config: CircusConfigModel;
  /** Where kernel lines go; defaults to a NullLogger named `circus`. */
  readonly logger?: Logger;
  /** Path of the INI file, if any (hooks and plugins resolve relative to it later). */
  readonly configPath?: string;
  /**
   * Parent container. Services registered in it (Spawner, Clock, HookRunner,
   * RestartPolicyFactory, ProcessTree, Random, HostEnvironment) replace the
   * defaults; the arbiter always gets its own child container.
   */
  readonly container?: DependencyContainer;
}

function provide<T>(c: DependencyContainer, token: InjectionToken<T>, make: () => T): void {
  if (!c.isRegistered(token, true)) c.register(token, { useValue: make() });
}

/**
 * Builds an arbiter in its own child container and constructs its watchers
 * (spec 1.10: a watcher whose options are invalid is skipped and logged as
 * "Failed to create watcher"). Nothing is spawned until `start()`.
 * Synchronous: returns once the watcher objects exist.
 */
export function createArbiter(opts: CreateArbiterOptions): Arbiter {
  const c = (opts.container ?? rootContainer).createChildContainer();
  const logger = opts.logger ?? new NullLogger('circus');
  c.register(KernelContainer, { useValue: c });
  c.register(CircusConfig, { useValue: opts.config });
  c.register(ConfigPath, { useValue: opts.configPath ?? null });
  c.register(Logger, { useValue: logger });
  c.register(EventBus, { useValue: c.resolve(EventBus) });
  c.register(ExclusiveLock, { useValue: new ExclusiveLock() });
  provide<Clock>(c, Clock, () => new SystemClock());
  provide<Random>(c, Random, () => new MathRandom());
  provide<Spawner>(c, Spawner, () => new NodeSpawner());
  provide<ProcessTree>(c, ProcessTree, () => new LinuxProcessTree());
  provide<HookRunner>(c, HookRunner, () => new NoHookRunner());
  provide<RestartPolicyFactory>(c, RestartPolicyFactory, () => new BackoffRestartPolicyFactory());
  provide<HostEnvironment>(c, HostEnvironment, () => ({ env: process.env, cwd: () => process.cwd() }));
  c.register(WatcherFactory, { useClass: WatcherFactory });
  c.register(PluginHost, { useValue: c.resolve(PluginHost) });
  c.register(CommandRegistry, { useValue: c.resolve(CommandRegistry) });
  const arbiter = c.resolve(Arbiter);
  c.register(Arbiter, { useValue: arbiter });
  arbiter.loadWatchers();
  return arbiter;
}
