/**
 * RedisObserver (spec/daemon.md 6.11): reports a redis server's INFO as
 * statsd gauges and restarts a watcher when the server does not answer.
 */
import type { PluginDescriptor } from '../../kernel';
import { statsdOptionSchema } from '../../protocol/statsd';
import { RedisObserver } from './redis-observer';

export { RedisObserver, RedisObserverOptions } from './redis-observer';
export { parseInfo, REDIS_GAUGES } from './redis-info';

/** `use = redis_observer` (or `circus.plugins.redis_observer.RedisObserver`). */
export const plugin: PluginDescriptor = {
  name: 'redis_observer',
  aliases: ['circus.plugins.redis_observer.RedisObserver'],
  options: {
    ...statsdOptionSchema('redis_observer'),
    loop_rate: { type: 'float', default: 60 },
    redis_url: { type: 'string', default: 'redis://localhost:6379/0' },
    timeout: { type: 'float', default: 5 },
    restart_on_timeout: { type: 'string' },
  },
  honoursActive: false,
  plugin: RedisObserver,
};
