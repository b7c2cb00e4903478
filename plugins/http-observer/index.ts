/**
 * HttpObserver (spec/daemon.md 6.10): checks a URL periodically and
 * restarts a watcher when the check fails.
 */
import type { PluginDescriptor } from '../../kernel';
import { statsdOptionSchema } from '../../protocol/statsd';
import { HttpObserver } from './http-observer';

export { HttpObserver, HttpObserverOptions } from './http-observer';
export { checkUrl, CheckResult, NO_RESPONSE } from './http-check';

/** `use = http_observer` (or `circus.plugins.http_observer.HttpObserver`). */
export const plugin: PluginDescriptor = {
  name: 'http_observer',
  aliases: ['circus.plugins.http_observer.HttpObserver'],
  options: {
    ...statsdOptionSchema('http_observer'),
    loop_rate: { type: 'float', default: 60 },
    check_url: { type: 'string', default: 'http://localhost/' },
    timeout: { type: 'float', default: 10 },
    restart_on_error: { type: 'string' },
  },
  honoursActive: false,
  plugin: HttpObserver,
};
