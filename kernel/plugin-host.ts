import 'reflect-metadata';
import { DependencyContainer, inject, injectable, InjectionToken } from 'tsyringe';
import { cancellableDelay } from './clock';
import { errorMessage, PluginError, TimeoutError } from './errors';
import { Logger } from './logger';

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

async function withTimeout<T>(what: string, seconds: number, work: Promise<T>): Promise<T> {
  const timer = new AbortController();
  const timeout = cancellableDelay(seconds, timer.signal).then(
    () => Promise.reject(new TimeoutError(what, seconds)),
    // Cancelled once `work` settled: stay pending, the race is over anyway.
    () => new Promise<never>(() => undefined),
  );
  try {
    return await Promise.race([work, timeout]);
  } finally {
    timer.abort();
  }
}

/**
 * Starts the registered core plugins before any watcher, each in a child
 * container with a logger named after it and a time limit, and stops them
 * in reverse order. Resolving `[plugin:NAME]` sections is later work.
 */
@injectable()
export class PluginHost {
  private readonly registrations: PluginRegistration[] = [];
  private readonly running: { name: string; plugin: CorePlugin }[] = [];

  constructor(
    @inject(KernelContainer) private readonly container: DependencyContainer,
    @inject(Logger) private readonly logger: Logger,
  ) {}

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
