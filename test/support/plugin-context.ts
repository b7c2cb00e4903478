/**
 * Runs one `[plugin:NAME]` plugin in process against a real arbiter, the
 * way the plugin host does (spec/daemon.md 6.3): the kernel's
 * InProcessPluginContext over the arbiter's command registry and event bus,
 * and the plugin class resolved from a child container holding the context
 * and the typed options (schema defaults applied). Tests use it to drive a
 * plugin without an INI file or circusd.
 */
import 'reflect-metadata';
import { container as rootContainer } from 'tsyringe';
import {
  InProcessPluginContext,
  Logger,
  PluginContext,
  PluginOptions,
  type Arbiter,
  type CircusPlugin,
  type PluginDescriptor,
} from '../../kernel';

/** The descriptor's defaults overlaid with `options` (already typed, as the host converts them). */
export function optionsFor(descriptor: PluginDescriptor, options: Record<string, unknown> = {}): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(descriptor.options)) if (spec.default !== undefined) out[key] = spec.default;
  for (const [key, value] of Object.entries(options)) {
    if (!(key in descriptor.options)) throw new Error(`plugin '${descriptor.name}' has no option '${key}'`);
    out[key] = value;
  }
  return Object.freeze(out);
}

/** A started plugin, its context, and the way to stop both. */
export interface RunningPlugin<P extends CircusPlugin = CircusPlugin> {
  readonly plugin: P;
  readonly ctx: InProcessPluginContext;
  /** Stops the plugin, then disposes its context (idempotent). */
  stop(): Promise<void>;
}

/**
 * Builds and starts `descriptor`'s plugin against `arbiter` (whose
 * commands plugin must be registered). `checkDelay` defaults to the
 * arbiter's `[circus] check_delay`.
 */
export async function startPlugin<P extends CircusPlugin = CircusPlugin>(
  arbiter: Arbiter,
  descriptor: PluginDescriptor,
  options: Record<string, unknown>,
  logger: Logger,
  name = `plugin:${descriptor.name}`,
): Promise<RunningPlugin<P>> {
  const pluginLogger = logger.child(name);
  const ctx = new InProcessPluginContext({
    name,
    checkDelay: arbiter.config.check_delay,
    logger: pluginLogger,
    registry: arbiter.commands,
    bus: arbiter.bus,
  });
  const child = rootContainer.createChildContainer();
  child.register(PluginContext, { useValue: ctx });
  child.register(PluginOptions, { useValue: optionsFor(descriptor, options) });
  child.register(Logger, { useValue: pluginLogger });
  const plugin = child.resolve(descriptor.plugin as unknown as new (...args: unknown[]) => P);
  try {
    await plugin.start();
  } catch (err) {
    ctx.dispose();
    throw err;
  }
  let stopped = false;
  return {
    plugin,
    ctx,
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      try {
        await plugin.stop();
      } finally {
        ctx.dispose();
      }
    },
  };
}
