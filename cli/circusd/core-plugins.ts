/**
 * The core plugins every circusd runs (spec/daemon.md 2.11 step 4), in start
 * order. The PluginHost starts them before any watcher and stops them in
 * reverse, so the commands exist before the endpoint that serves them opens.
 */
import type { CircusConfig } from '../../config/index';
import type { Arbiter } from '../../kernel/index';
import { CommandsPlugin } from '../../plugins/commands/commands-plugin';
import { ControlPlugin } from '../../plugins/control/index';
import { PubsubPlugin } from '../../plugins/pubsub/index';
import { builtinPluginResolver } from '../../plugins/support/plugin-loader';

/**
 * How circusd resolves `[plugin:NAME] use = ...` (spec/daemon.md 6.13):
 * built-in names and Circus class paths, then module paths relative to the
 * INI file and npm packages. Given to createArbiter; the arbiter resolves
 * and validates every section at start, before anything starts, and runs
 * them as `plugin:NAME` facades among the watchers.
 */
export const pluginResolver = builtinPluginResolver;

/**
 * Registers the core plugins with the arbiter's PluginHost (before
 * `arbiter.start()`). `config` is the arbiter's configuration, for core
 * plugins that only run when an option asks for them.
 */
export function registerCorePlugins(arbiter: Arbiter, config: CircusConfig): void {
  // The built-in commands first, so they exist before the endpoint that serves them opens.
  arbiter.plugins.register({ name: 'commands', plugin: CommandsPlugin });
  arbiter.plugins.register({ name: 'control', plugin: ControlPlugin });
  // Bound before any watcher starts, so the start-up spawns are published (spec/protocol.md 4.1).
  arbiter.plugins.register({ name: 'pubsub', plugin: PubsubPlugin });
}
