/**
 * The statsd plugins of Circus (spec/daemon.md 6.9): StatsdEmitter (one
 * counter per event) and FullStats (periodic per-watcher gauges).
 */
import type { PluginDescriptor } from '../../kernel';
import { statsdOptionSchema } from '../../protocol/statsd';
import { FullStats } from './full-stats';
import { StatsdEmitter } from './statsd-emitter';

export { FullStats, FullStatsOptions } from './full-stats';
export { StatsdEmitter } from './statsd-emitter';

/** `use = statsd` (or Circus's `circus.plugins.statsd.StatsdEmitter`). `active` is not honoured, as in Circus. */
export const plugin: PluginDescriptor = {
  name: 'statsd',
  aliases: ['circus.plugins.statsd.StatsdEmitter', 'circus.plugins._statsd.StatsdEmitter'],
  options: statsdOptionSchema('app'),
  honoursActive: false,
  plugin: StatsdEmitter,
};

/** `use = full_stats` (or `circus.plugins.statsd.FullStats`). */
export const fullStatsPlugin: PluginDescriptor = {
  name: 'full_stats',
  aliases: ['circus.plugins.statsd.FullStats'],
  options: { ...statsdOptionSchema('app'), loop_rate: { type: 'float', default: 60 } },
  honoursActive: false,
  plugin: FullStats,
};
