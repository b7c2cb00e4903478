/**
 * ResourceWatcher (spec/daemon.md 6.8): restarts a watcher whose processes
 * use too much (or too little) CPU or memory for `max_count` checks in a row.
 */
import type { PluginDescriptor } from '../../kernel';
import { statsdOptionSchema } from '../../protocol/statsd';
import { ResourceWatcher, resolveSettings, type ResourceWatcherOptions } from './resource-watcher';

export { ResourceWatcher, ResourceWatcherOptions, resolveSettings } from './resource-watcher';

/** `use = resource_watcher` (or `circus.plugins.resource_watcher.ResourceWatcher`). */
export const plugin: PluginDescriptor = {
  name: 'resource_watcher',
  aliases: ['circus.plugins.resource_watcher.ResourceWatcher'],
  options: {
    ...statsdOptionSchema('app'),
    // Not `required`: the deprecated `service` may name the watcher instead (checked by validate).
    watcher: { type: 'string' },
    service: { type: 'string' },
    loop_rate: { type: 'float', default: 60 },
    max_cpu: { type: 'float', default: 90 },
    min_cpu: { type: 'float' },
    // A percentage or a size with a unit (`512M`): two forms, checked by validate.
    max_mem: { type: 'string', default: '90' },
    min_mem: { type: 'string' },
    health_threshold: { type: 'float', default: 75 },
    max_count: { type: 'int', default: 3 },
    process_children: { type: 'bool', default: false },
    child_signal: { type: 'int', default: 15 },
  },
  honoursActive: false,
  // The same checks start() makes, run before any plugin starts.
  validate: (options) => {
    const o = options as unknown as ResourceWatcherOptions;
    const problems: string[] = [];
    resolveSettings(o, problems);
    if (!(o.loop_rate > 0)) problems.push(`loop_rate: must be positive, not ${o.loop_rate}`);
    return problems;
  },
  plugin: ResourceWatcher,
};
