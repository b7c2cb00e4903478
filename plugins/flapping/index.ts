/**
 * The built-in `flapping` plugin (spec/daemon.md 6.6): `use = flapping` or
 * Circus's `circus.plugins.flapping.Flapping`.
 */
import type { PluginDescriptor } from '../../kernel/index';
import { FlappingPlugin } from './flapping-plugin';

export { FlappingDetector, FlappingSettings, FlappingVerdict, INFINITE_RETRY } from './flapping-detector';
export { FLAPPING_CHECK_DELAY, FlappingOptions, FlappingPlugin, pyPercent2d } from './flapping-plugin';
export { readOverrides } from './overrides';

/** Descriptor of the flapping plugin: Circus's option names and defaults. */
export const plugin: PluginDescriptor = {
  name: 'flapping',
  aliases: ['circus.plugins.flapping.Flapping'],
  options: {
    attempts: { type: 'int', default: 2 },
    window: { type: 'float', default: 1 },
    retry_in: { type: 'float', default: 7 },
    max_retry: { type: 'int', default: 5 },
  },
  honoursActive: true,
  plugin: FlappingPlugin,
};
