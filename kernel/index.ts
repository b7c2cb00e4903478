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
import { CircusHookRunner } from './hooks/circus-hook-runner';
import { arbiterFacade } from './hooks/facades';
import { HookRunner } from './hooks/hook-runner';
import { HookArbiterView } from './hooks/hook-types';
import { Logger, NullLogger } from './logger';
import { PluginHost, KernelContainer } from './plugin-host';
import { PluginResolver } from './plugin-resolver';
import { LinuxProcessTree, ProcessTree } from './process/proc-tree';
import { NodeSpawner, Spawner } from './process/spawner';
import { CircusSockets } from './sockets/circus-sockets';
import { OutputTap } from './streams/output-tap';
import { CircusConfig, ConfigPath, ConfigSource } from './tokens';
import { BackoffRestartPolicyFactory, RestartPolicyFactory } from './watcher/restart-policy';
import { HostEnvironment, WatcherFactory } from './watcher/watcher-factory';

export { Arbiter, ArbiterOutcome } from './arbiter/arbiter';
export { ExclusiveLock } from './arbiter/exclusive-lock';
export { defaultCircusConfig, CircusConfigOverrides } from './arbiter/default-config';
export { priorityOrder } from './arbiter/priority';
export { Clock, Random, SystemClock, MathRandom, cancellableDelay } from './clock';
export { answered, CommandDefinition, CommandOutcome, CommandRegistry, started } from './commands/registry';
export { Disposable, DisposableStore, toDisposable } from './disposable';
export * from './errors';
export { EventBus, EventListener } from './event-bus';
export * from './events';
export { CircusHookRunner } from './hooks/circus-hook-runner';
export { arbiterFacade, watcherFacade } from './hooks/facades';
export { DEFAULT_IGNORE_FAILURE, HookLocation, HookResolver, hookLocation } from './hooks/hook-resolver';
export { HookCall, HookName, HookRunner, NoHookRunner, pyTruthy } from './hooks/hook-runner';
export { HookArbiterView, HookContext, HookFunction, HookSpec, HookWatcherView, ResolvedHook } from './hooks/hook-types';
export { WatcherHooks } from './hooks/watcher-hooks';
export { Logger, LogLevel, NullLogger } from './logger';
export { CorePlugin, KernelContainer, PLUGIN_TIMEOUT_SECONDS, PluginHost, PluginRegistration } from './plugin-host';
export { CircusPlugin, PluginContext, PluginDescriptor, PluginOptions, PluginOptionSpec } from './plugin-api';
export { circusReason, InProcessPluginContext, InProcessContextDeps, PluginCallError, runEvery } from './plugin-context';
export { DEFAULT_PLUGIN_PRIORITY, HOST_KEYS, PluginConfigError, preparePlugin, PreparedPlugin } from './plugin-options';
export { DEFAULT_PLUGIN_EXPORT, isPluginDescriptor, modulePluginResolver, PluginResolver, resolvePluginModule } from './plugin-resolver';
export { instantiatePlugin, PluginUnit, PluginUnitDeps } from './plugin-unit';
export { FacadeUnit, isFacade, Unit } from './arbiter/unit';
export { withTimeout } from './timeout';
export { ExitInfo, ProcessStatus, ProcessView } from './process/process';
export { ProcessRef, ProcessTree, LinuxProcessTree } from './process/proc-tree';
export { ProcessInfo, ProcessSampler } from './process-sampler';
export { ChildHandle, ExitStatus, Identity, NodeSpawner, SpawnSpec, Spawner, StdioSpec } from './process/spawner';
export { shlexQuote, shlexSplit } from './process/shlex';
export { resolveGroup, resolveUser, ResolvedUser } from './process/users';
export { closeInheritedOnExec, inheritableDescriptors } from './process/inherited-fds';
export { CircusSocket, SocketView } from './sockets/circus-socket';
export { CircusSockets, SocketSpawnPlan, SocketSpawnRequest, SpawnSockets } from './sockets/circus-sockets';
export { SocketConstructionError, SocketError, SyscallError } from './sockets/errors';
export { parseSocketOptions, SocketFamily, SocketOptions, SocketType } from './sockets/socket-options';
export { CircusConfig, ConfigPath, ConfigSource } from './tokens';
export { FancyStdoutStream, FANCY_COLORS } from './streams/fancy-stdout-stream';
export { FileStream } from './streams/file-stream';
export { OutputChunk, OutputListener, OutputTap } from './streams/output-tap';
export { QueueStream } from './streams/queue-stream';
export { Redirector } from './streams/redirector';
export { StdoutStream } from './streams/stdout-stream';
export { createOutputStream, StreamKey } from './streams/stream-factory';
export { StreamSink } from './streams/stream-sink';
export { ConsoleTarget, DEFAULT_STREAM_CONTEXT, OutputStream, StreamContext, StreamRecord } from './streams/stream-types';
export { TimedRotatingFileStream } from './streams/timed-rotating-file-stream';
export { WatchedFileStream } from './streams/watched-file-stream';
export { PipedProcess, StreamLocation, StreamSettings, WatcherStreams } from './streams/watcher-streams';
export { strftime } from './util/strftime';
export { compilePythonRegex, pyMatch } from './util/python-regex';
// Python renderings that error reasons and replies share with Circus (config/python.ts).
export { pyRepr, pyStr, pyStrRepr } from '../config/python';
// The panel's bind-address rule and password-hash form are the config loader's, shared with plugins.
export { isLoopbackHost, PASSWORD_HASH_PATTERN } from '../config/circus-options';
export {
  BackoffRestartPolicy,
  BackoffRestartPolicyFactory,
  DEFAULT_RESTART_POLICY,
  RestartPolicy,
  RestartPolicyFactory,
  RestartPolicySettings,
} from './watcher/restart-policy';
export { SetAction } from './watcher/set-option';
export { AppliedOptions, StopOptions, Watcher, WatcherStatus, WatcherView } from './watcher/watcher';
export { HostEnvironment, WatcherFactory } from './watcher/watcher-factory';
export { watcherRecord, WatcherOptions } from './watcher/watcher-record';
export { WatcherSettings } from './watcher/watcher-settings';

/** Options of {@link createArbiter}. */
export interface CreateArbiterOptions {
  /** The loaded config (config/ loader) or {@link defaultCircusConfig} for embedding. */
  readonly config: CircusConfigModel;
  /** Where kernel lines go; defaults to a NullLogger named `circus`. */
  readonly logger?: Logger;
  /**
   * Path of the INI file, if any: relative and dotted hook specs are looked
   * up from its directory (spec 5.3); without it, from the working directory.
   */
  readonly configPath?: string;
  /**
   * Parent container. Services registered in it (Spawner, Clock, HookRunner,
   * RestartPolicyFactory, ProcessTree, Random, HostEnvironment) replace the
   * defaults; the arbiter always gets its own child container.
   */
  readonly container?: DependencyContainer;
  /** Re-reads the configuration for `reloadconfig`; without it, reloadconfig is refused. */
  readonly configSource?: ConfigSource;
  /**
   * Finds the plugin a `[plugin:NAME] use =` names (circusd provides one
   * that knows the built-in plugins); without it only module paths and
   * package names resolve (kernel/plugin-resolver.ts).
   */
  readonly pluginResolver?: PluginResolver;
}

function provide<T>(c: DependencyContainer, token: InjectionToken<T>, make: () => T): void {
  if (!c.isRegistered(token, true)) c.register(token, { useValue: make() });
}

/**
 * Builds an arbiter in its own child container and constructs its watchers
 * (spec 1.10: a watcher whose options are invalid is skipped and logged as
 * "Failed to create watcher") and converts its socket sections (one that
 * cannot be converted is skipped with "Failed to create socket"). Nothing
 * is bound or spawned until `start()`. Synchronous: returns once the
 * watcher objects exist.
 */
export function createArbiter(opts: CreateArbiterOptions): Arbiter {
  const c = (opts.container ?? rootContainer).createChildContainer();
  const logger = opts.logger ?? new NullLogger('circus');
  c.register(KernelContainer, { useValue: c });
  c.register(CircusConfig, { useValue: opts.config });
  // A factory, not useValue: tsyringe takes a null useValue for a missing
  // provider, so injecting the "no config file" case would fail.
  const configPath = opts.configPath ?? null;
  c.register(ConfigPath, { useFactory: () => configPath });
  const configSource = opts.configSource ?? null;
  c.register(ConfigSource, { useFactory: () => configSource });
  if (opts.pluginResolver) c.register(PluginResolver, { useValue: opts.pluginResolver });
  c.register(Logger, { useValue: logger });
  c.register(EventBus, { useValue: c.resolve(EventBus) });
  c.register(ExclusiveLock, { useValue: new ExclusiveLock() });
  provide<Clock>(c, Clock, () => new SystemClock());
  provide<Random>(c, Random, () => new MathRandom());
  provide<Spawner>(c, Spawner, () => new NodeSpawner());
  provide<ProcessTree>(c, ProcessTree, () => new LinuxProcessTree());
  provide<HookRunner>(c, HookRunner, () => c.resolve(CircusHookRunner));
  provide<RestartPolicyFactory>(c, RestartPolicyFactory, () => new BackoffRestartPolicyFactory());
  provide<HostEnvironment>(c, HostEnvironment, () => ({ env: process.env, cwd: () => process.cwd() }));
  // One tap per arbiter: the watchers' redirectors feed it, plugins listen (publish_output).
  c.register(OutputTap, { useValue: c.resolve(OutputTap) });
  const sockets = c.resolve(CircusSockets);
  c.register(CircusSockets, { useValue: sockets });
  sockets.load(opts.config.sockets);
  c.register(WatcherFactory, { useClass: WatcherFactory });
  c.register(PluginHost, { useValue: c.resolve(PluginHost) });
  c.register(CommandRegistry, { useValue: c.resolve(CommandRegistry) });
  const arbiter = c.resolve(Arbiter);
  c.register(Arbiter, { useValue: arbiter });
  c.register(HookArbiterView, { useValue: arbiterFacade(arbiter) });
  arbiter.loadWatchers();
  return arbiter;
}
