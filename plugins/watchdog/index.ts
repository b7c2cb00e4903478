/**
 * The built-in `watchdog` plugin (spec/daemon.md 6.7): `use = watchdog` or
 * Circus's `circus.plugins.watchdog.WatchDog`.
 */
import type { PluginDescriptor } from '../../kernel/index';
import { DEFAULT_MSG_REGEX, WatchdogPlugin } from './watchdog-plugin';

export { WatchdogOptionError } from './errors';
export { HeartbeatTable, MonitoredPid } from './heartbeat-table';
export { compilePythonRegex, pyMatch } from './python-regex';
export { DEFAULT_MSG_REGEX, MAX_HEARTBEAT_BYTES, toSignalNumber, WatchdogOptions, WatchdogPlugin } from './watchdog-plugin';

/**
 * Descriptor of the watchdog plugin. The two patterns are declared as
 * strings: they are Python patterns (`(?P<pid>…)`), translated and
 * checked by the plugin's start(), which names the option at fault.
 * `active` is not honoured, as in Circus.
 */
export const plugin: PluginDescriptor = {
  name: 'watchdog',
  aliases: ['circus.plugins.watchdog.WatchDog'],
  options: {
    loop_rate: { type: 'float', default: 60 },
    watchers_regex: { type: 'string', default: '.*' },
    msg_regex: { type: 'string', default: DEFAULT_MSG_REGEX },
    max_count: { type: 'int', default: 3 },
    ip: { type: 'string', default: '127.0.0.1' },
    port: { type: 'int', default: 1664, min: 0 },
    watchers_stop_signal: { type: 'string' },
    watchers_graceful_timeout: { type: 'float' },
  },
  honoursActive: false,
  plugin: WatchdogPlugin,
};
