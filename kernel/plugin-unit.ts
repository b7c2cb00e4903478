/**
 * A `[plugin:NAME]` plugin as the arbiter sees it: the watcher facade of
 * spec/daemon.md 0.1 and 6.3 (name `plugin:NAME`, the section's priority,
 * status active/stopped, start/stop/restart, no processes of its own). Each
 * start builds the plugin afresh in its own child container with a new
 * context; each stop releases everything it registered.
 */
import { DependencyContainer } from 'tsyringe';
import type { FacadeUnit } from './arbiter/unit';
import { CommandRegistry } from './commands/registry';
import { errorMessage, PluginError } from './errors';
import { EventBus } from './event-bus';
import { Logger } from './logger';
import { CircusPlugin, PluginContext, PluginDescriptor, PluginOptions } from './plugin-api';
import { InProcessPluginContext } from './plugin-context';
import type { PreparedPlugin } from './plugin-options';
import { withTimeout } from './timeout';
import type { WatcherStatus } from './watcher/watcher-types';

/** What a plugin unit needs from the kernel. */
export interface PluginUnitDeps {
  readonly container: DependencyContainer;
  readonly logger: Logger;
  readonly registry: CommandRegistry;
  readonly bus: EventBus;
  readonly checkDelay: number;
  readonly now: () => number;
  /** Seconds a start or a stop may take. */
  readonly timeoutSeconds: number;
  /** Registers services in the plugin's child container before it is built (a core facade's shared sampler). */
  readonly configure?: (container: DependencyContainer) => void;
}

/**
 * tsyringe resolves a class whose constructor is decorated; a plain
 * JavaScript class (no decorators, so no type info) is built with
 * `(context, options)` instead, so plugins need not share our tsyringe.
 */
export function instantiatePlugin(child: DependencyContainer, descriptor: PluginDescriptor, ctx: PluginContext, options: Readonly<Record<string, unknown>>): CircusPlugin {
  const cls = descriptor.plugin;
  try {
    return child.resolve(cls as unknown as new (...args: unknown[]) => CircusPlugin);
  } catch (err) {
    if (!/TypeInfo not known/.test(errorMessage(err))) throw err;
    return new (cls as unknown as new (c: PluginContext, o: unknown) => CircusPlugin)(ctx, options);
  }
}

/** One plugin section's facade and lifecycle. */
export class PluginUnit implements FacadeUnit {
  readonly facade = true;
  readonly autostart = true;
  private state: WatcherStatus = 'stopped';
  private running: { plugin: CircusPlugin; ctx: InProcessPluginContext } | null = null;
  /** start/stop/restart run one after another, never interleaved. */
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly prepared: PreparedPlugin, private readonly deps: PluginUnitDeps) {}

  get name(): string {
    return this.prepared.name;
  }

  get priority(): number {
    return this.prepared.priority;
  }

  get status(): WatcherStatus {
    return this.state;
  }

  get pids(): readonly number[] {
    return [];
  }

  get liveCount(): number {
    return this.state === 'active' ? 1 : 0;
  }

  /** Starts the plugin (no-op when running). Rejects with a PluginError naming it and the reason. */
  start(): Promise<void> {
    return this.serial(() => this.doStart());
  }

  /** Stops the plugin and releases its subscriptions and timers; a failing stop is logged. */
  stop(): Promise<void> {
    return this.serial(() => this.doStop());
  }

  restart(): Promise<void> {
    return this.serial(async () => {
      await this.doStop();
      await this.doStart();
    });
  }

  private serial(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async doStart(): Promise<void> {
    if (this.running) return;
    const { prepared, deps } = this;
    if (!prepared.active && prepared.descriptor.honoursActive !== false) {
      deps.logger.info(`${this.name} is not active (active = false): not started`);
      return;
    }
    this.state = 'starting';
    const logger = deps.logger.child(this.name);
    const ctx = new InProcessPluginContext({ name: this.name, checkDelay: deps.checkDelay, logger, registry: deps.registry, bus: deps.bus });
    const child = deps.container.createChildContainer();
    child.register(PluginContext, { useValue: ctx });
    child.register(PluginOptions, { useValue: prepared.options });
    child.register(Logger, { useValue: logger });
    deps.configure?.(child);
    let plugin: CircusPlugin | null = null;
    try {
      plugin = instantiatePlugin(child, prepared.descriptor, ctx, prepared.options);
      await withTimeout(`${this.name} start`, deps.timeoutSeconds, plugin.start());
    } catch (err) {
      // Release whatever the failed start registered before reporting it.
      if (plugin) await this.release(plugin, ctx);
      else ctx.dispose();
      this.state = 'stopped';
      throw new PluginError(this.name, `failed to start (use = ${prepared.use}): ${errorMessage(err)}`, { cause: err });
    }
    this.running = { plugin, ctx };
    this.state = 'active';
    deps.logger.info(`${this.name} started`);
    deps.bus.emit('start', this.name, { time: deps.now() });
  }

  private async doStop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.state = 'stopping';
    await this.release(running.plugin, running.ctx);
    this.running = null;
    this.state = 'stopped';
    this.deps.logger.info(`${this.name} stopped`);
    this.deps.bus.emit('stop', this.name, { time: this.deps.now() });
  }

  private async release(plugin: CircusPlugin, ctx: InProcessPluginContext): Promise<void> {
    try {
      await withTimeout(`${this.name} stop`, this.deps.timeoutSeconds, Promise.resolve().then(() => plugin.stop()));
    } catch (err) {
      this.deps.logger.error(`${this.name} failed to stop: ${errorMessage(err)}`);
    } finally {
      try {
        ctx.dispose();
      } catch (err) {
        this.deps.logger.error(`${this.name}: releasing its subscriptions failed: ${errorMessage(err)}`);
      }
    }
  }
}
