/**
 * The stats streamer (spec/daemon.md 6.4): the plugin the cli runs as the
 * `circusd-stats` facade when `[circus] statsd` is true, and the shared
 * process sampler behind `stats`, `dstats` and the streamer.
 */
import type { PluginDescriptor } from '../../kernel/index';
import { StatsPlugin, STATS_FACADE_NAME } from './stats-plugin';

export { createProcessSampler } from './create-sampler';
export { LinuxProcessSampler } from './linux-sampler';
export { PidusageProcessSampler } from './pidusage-sampler';
export { ProcReader, type ProcFiles, type RawProcess } from './proc-reader';
export { StatsPlugin, STATS_FACADE_NAME, STATS_INTERVAL_SECONDS, type StatsSampleEvent } from './stats-plugin';
export { StatsEndpointError } from './errors';

/** The streamer as a plugin descriptor (no options: it reads `[circus]`), for the facade. */
export const statsPluginDescriptor: PluginDescriptor = {
  name: STATS_FACADE_NAME,
  options: {},
  honoursActive: false,
  plugin: StatsPlugin,
};
