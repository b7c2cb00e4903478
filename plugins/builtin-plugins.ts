/**
 * The built-in `[plugin:NAME]` plugins (spec/daemon.md 6.13): the one table
 * the plugin host looks names up in. Each plugin module exports
 * `plugin: PluginDescriptor`; `use =` selects it by its short name
 * (`flapping`) or by one of its aliases, Circus's class path
 * (`circus.plugins.flapping.Flapping`), so existing INI files keep working.
 *
 * Add one line per plugin at the end of BUILTIN_PLUGINS.
 */
import type { PluginDescriptor } from '../kernel';
import { plugin as commandReloader } from './command-reloader/index';
import { plugin as flapping } from './flapping/index';
import { plugin as watchdog } from './watchdog/index';
import { plugin as httpObserver } from './http-observer/index';
import { plugin as redisObserver } from './redis-observer/index';
import { plugin as resourceWatcher } from './resource-watcher/index';
import { fullStatsPlugin as fullStats, plugin as statsd } from './statsd/index';

/** Every built-in plugin descriptor. */
export const BUILTIN_PLUGINS: readonly PluginDescriptor[] = [
  flapping,
  watchdog,
  commandReloader,
  resourceWatcher,
  statsd,
  fullStats,
  httpObserver,
  redisObserver,
];

/** The built-in plugin a `use` value names (short name or alias, exact), or undefined. */
export function findBuiltinPlugin(use: string): PluginDescriptor | undefined {
  const key = use.trim();
  return BUILTIN_PLUGINS.find((d) => d.name === key || (d.aliases ?? []).includes(key));
}
