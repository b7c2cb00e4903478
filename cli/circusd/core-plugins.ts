/**
 * The core plugins every circusd runs (spec/daemon.md 2.11 step 4), in start
 * order. The PluginHost starts them before any watcher and stops them in
 * reverse, so the commands exist before the endpoint that serves them opens.
 */
import type { DependencyContainer } from 'tsyringe';
import type { CircusConfig } from '../../config/index';
import { ProcessSampler, type Arbiter, type PreparedPlugin } from '../../kernel/index';
import { AuditPlugin } from '../../plugins/audit/index';
import { CommandsPlugin } from '../../plugins/commands/commands-plugin';
import { ControlPlugin } from '../../plugins/control/index';
import { HTTPD_FACADE_NAME, httpdPluginDescriptor, httpdSocketRecord } from '../../plugins/httpd/index';
import { PubsubPlugin } from '../../plugins/pubsub/index';
import { createProcessSampler, STATS_FACADE_NAME, statsPluginDescriptor } from '../../plugins/stats/index';
import { builtinPluginResolver } from '../../plugins/support/plugin-loader';
import { ZapPlugin } from '../../plugins/zap/index';

/**
 * How circusd resolves `[plugin:NAME] use = ...` (spec/daemon.md 6.13):
 * built-in names and Circus class paths, then module paths relative to the
 * INI file and npm packages. Given to createArbiter; the arbiter resolves
 * and validates every section at start, before anything starts, and runs
 * them as `plugin:NAME` facades among the watchers.
 */
export const pluginResolver = builtinPluginResolver;

/** The `circusd-stats` watcher of Circus (singleton, priority 0), as a prepared facade. */
function statsSection(): PreparedPlugin {
  return {
    name: STATS_FACADE_NAME,
    use: STATS_FACADE_NAME,
    descriptor: statsPluginDescriptor,
    options: Object.freeze({}),
    active: true,
    priority: 0,
    record: { name: STATS_FACADE_NAME, __name__: STATS_FACADE_NAME },
  };
}

/** The `circushttpd` watcher of Circus (singleton, priority 0): the in-process web panel. */
function httpdSection(): PreparedPlugin {
  return {
    name: HTTPD_FACADE_NAME,
    use: HTTPD_FACADE_NAME,
    descriptor: httpdPluginDescriptor,
    options: Object.freeze({}),
    active: true,
    priority: 0,
    record: { name: HTTPD_FACADE_NAME, __name__: HTTPD_FACADE_NAME },
  };
}

/**
 * Registers the core plugins with the arbiter's PluginHost (before
 * `arbiter.start()`). `config` is the arbiter's configuration, for core
 * plugins that only run when an option asks for them: with `statsd` the
 * stats streamer runs as the `circusd-stats` facade. One process sampler
 * serves `stats`, `dstats` and the streamer, statsd on or off. With
 * `httpd` the web panel runs as the `circushttpd` facade, listening on the
 * `circushttpd` circus socket circusd binds with the others (spec 6.5).
 */
export function registerCorePlugins(arbiter: Arbiter, config: CircusConfig): void {
  const sampler = createProcessSampler();
  const withSampler = (c: DependencyContainer): void => {
    c.register(ProcessSampler, { useValue: sampler });
  };
  // The built-in commands first, so they exist before the endpoint that serves them opens.
  arbiter.plugins.register({ name: 'commands', plugin: CommandsPlugin, configure: withSampler });
  // The audit before what it records, so it stops after them and misses none of their events.
  arbiter.plugins.register({ name: 'audit', plugin: AuditPlugin });
  // The ZAP handler before any CURVE endpoint binds: a client is never let in unasked.
  arbiter.plugins.register({ name: 'zap', plugin: ZapPlugin });
  arbiter.plugins.register({ name: 'control', plugin: ControlPlugin });
  // Bound before any watcher starts, so the start-up spawns are published (spec/protocol.md 4.1).
  arbiter.plugins.register({ name: 'pubsub', plugin: PubsubPlugin });
  if (config.statsd) arbiter.adoptFacade(arbiter.plugins.createUnit(statsSection(), withSampler));
  if (config.httpd) {
    arbiter.sockets.load([httpdSocketRecord(config)]);
    arbiter.adoptFacade(arbiter.plugins.createUnit(httpdSection()));
  }
}
