import 'reflect-metadata';
import { DependencyContainer, inject, injectable, InjectionToken } from 'tsyringe';
import * as path from 'path';
import type { PluginRecord } from '../config/model';
import { Clock } from './clock';
import { CommandRegistry } from './commands/registry';
import { errorMessage, PluginError } from './errors';
import { EventBus } from './event-bus';
import { Logger } from './logger';
import { PluginConfigError, preparePlugin, PreparedPlugin } from './plugin-options';
import { modulePluginResolver, PluginResolver } from './plugin-resolver';
import { PluginUnit } from './plugin-unit';
import { withTimeout } from './timeout';
import { CircusConfig, ConfigPath } from './tokens';

/** A plugin: a class resolved from its own child container; start() does the I/O. */
export interface CorePlugin {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** DI token of the arbiter's container (the parent of every plugin container). */
export const KernelContainer = Symbol('KernelContainer');

/** How to build one plugin. */
export interface PluginRegistration {
  readonly name: string;
  /** The plugin class (tsyringe-injectable) or token to resolve. */
  readonly plugin: InjectionToken<CorePlugin>;
  /** Registers the plugin's own config, services... in its child container. */
  readonly configure?: (container: DependencyContainer) => void;
}

/** Seconds a `[plugin:NAME]` plugin may take to start or to stop. */
export const PLUGIN_TIMEOUT_SECONDS = 10;

/**
 * Two jobs (DESIGN.md PluginHost). Core plugins (commands, control,
 * pubsub...) are registered by the cli and started before any watcher,
 * each in a child container with a logger named after it and a time
 * limit, and stopped in reverse order after the watchers. `[plugin:NAME]`
 * sections are resolved and validated here ({@link prepareSections}) and
 * become {@link PluginUnit}s that the arbiter starts and stops with the
 * watchers, by priority.
 */
@injectable()
export class PluginHost {
  private readonly registrations: PluginRegistration[] = [];
  private readonly running: { name: string; plugin: CorePlugin }[] = [];

  constructor(
    @inject(KernelContainer) private readonly container: DependencyContainer,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /** Seconds a `[plugin:NAME]` start or stop may take (tests shorten it). */
  sectionTimeoutSeconds = PLUGIN_TIMEOUT_SECONDS;

  /**
   * Resolves every section's `use` and checks its options against the
   * plugin's schema. Throws one PluginError listing every problem of every
   * section (each naming `[plugin:NAME]` and the key) when any is wrong;
   * nothing has started then.
   */
  prepareSections(records: readonly PluginRecord[]): PreparedPlugin[] {
    const problems: string[] = [];
    const prepared: PreparedPlugin[] = [];
    for (const record of records) {
      const result = this.prepareOne(record);
      if ('problems' in result) problems.push(...result.problems);
      else prepared.push(result.prepared);
    }
    if (problems.length > 0) throw new PluginConfigError(problems);
    return prepared;
  }

  /**
   * The facade of a prepared section (not started). `configure` registers
   * services in each new child container of the plugin (the cli gives the
   * `circusd-stats` facade its shared sampler this way).
   */
  createUnit(prepared: PreparedPlugin, configure?: (container: DependencyContainer) => void): PluginUnit {
    const config = this.container.resolve<{ check_delay: number }>(CircusConfig);
    const clock = this.container.resolve<Clock>(Clock);
    return new PluginUnit(prepared, {
      container: this.container,
      logger: this.logger,
      registry: this.container.resolve(CommandRegistry),
      bus: this.container.resolve(EventBus),
      checkDelay: config.check_delay,
      now: () => clock.now(),
      timeoutSeconds: this.sectionTimeoutSeconds,
      configure,
    });
  }

  private prepareOne(record: PluginRecord): { prepared: PreparedPlugin } | { problems: string[] } {
    const use = String(record.use ?? '').trim();
    let descriptor;
    try {
      descriptor = this.resolver().resolve(use, this.configDir());
    } catch (err) {
      return { problems: [`[${record.name}] use: cannot load plugin '${use}': ${errorMessage(err)}`] };
    }
    const { prepared, problems } = preparePlugin(record, descriptor);
    return problems.length ? { problems } : { prepared };
  }

  private resolver(): PluginResolver {
    return this.container.isRegistered(PluginResolver, true) ? this.container.resolve<PluginResolver>(PluginResolver) : modulePluginResolver;
  }

  private configDir(): string {
    const file = this.container.isRegistered(ConfigPath, true) ? this.container.resolve<string | null>(ConfigPath) : null;
    return file ? path.dirname(path.resolve(file)) : process.cwd();
  }

  /** Adds a plugin to start with the arbiter (call before start). */
  register(registration: PluginRegistration): void {
    this.registrations.push(registration);
  }

  /** Names of the started plugins, in start order. */
  get started(): readonly string[] {
    return this.running.map((r) => r.name);
  }

  /**
   * Starts every registered plugin in order; resolves when all have started.
   * If one fails or exceeds `timeoutSeconds`, the ones already started are
   * stopped and a PluginError naming it is thrown.
   */
  async startAll(timeoutSeconds = 10): Promise<void> {
    for (const reg of this.registrations) {
      const child = this.container.createChildContainer();
      child.register(Logger, { useValue: this.logger.child(reg.name) });
      reg.configure?.(child);
      try {
        const plugin = child.resolve(reg.plugin);
        await withTimeout(`plugin '${reg.name}' start`, timeoutSeconds, plugin.start());
        this.running.push({ name: reg.name, plugin });
      } catch (err) {
        await this.stopAll(timeoutSeconds);
        throw new PluginError(reg.name, `failed to start: ${errorMessage(err)}`, { cause: err });
      }
    }
  }

  /** Stops the started plugins in reverse order; a failure is logged, the rest still stop. */
  async stopAll(timeoutSeconds = 10): Promise<void> {
    while (this.running.length > 0) {
      const { name, plugin } = this.running.pop() as { name: string; plugin: CorePlugin };
      try {
        await withTimeout(`plugin '${name}' stop`, timeoutSeconds, plugin.stop());
      } catch (err) {
        this.logger.error(`plugin '${name}' failed to stop: ${errorMessage(err)}`);
      }
    }
  }
}
