/**
 * The built-in `command_reloader` plugin (spec/daemon.md 6.12):
 * `use = command_reloader` or Circus's
 * `circus.plugins.command_reloader.CommandReloader`.
 */
import type { PluginDescriptor } from '../../kernel/index';
import { CommandReloaderPlugin } from './command-reloader-plugin';

export { CommandReloaderOptions, CommandReloaderPlugin, isModified } from './command-reloader-plugin';
export { CommandFile, CommandSource, locateCommand, programOf, substituteEnv } from './locate-command';

/** Descriptor of the command reloader: `loop_rate` is an int, as Circus reads it. */
export const plugin: PluginDescriptor = {
  name: 'command_reloader',
  aliases: ['circus.plugins.command_reloader.CommandReloader'],
  options: {
    loop_rate: { type: 'int', default: 1, min: 1 },
  },
  honoursActive: true,
  plugin: CommandReloaderPlugin,
};
