import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { parseInfo, plugin, RedisObserver, REDIS_GAUGES, type RedisObserverOptions } from '../../../../plugins/redis-observer';
import { FakePluginContext } from '../../../support/fake-plugin-context';
import { UdpListener } from '../../../support/udp-listener';
import { waitFor } from '../../../integration/kernel/helpers';

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('RedisObserver (spec/daemon.md 6.11)', () => {
  it('declares the Circus options and defaults', () => {
    const defaults = Object.fromEntries(Object.entries(plugin.options).map(([k, s]) => [k, s.default]));
    assert.deepEqual(defaults, {
      host: 'localhost', port: 8125, sample_rate: 1, application_name: 'redis_observer', loop_rate: 60,
      redis_url: 'redis://localhost:6379/0', timeout: 5, restart_on_timeout: undefined,
    });
    assert.deepEqual(plugin.aliases, ['circus.plugins.redis_observer.RedisObserver']);
    assert.equal(REDIS_GAUGES.length, 22);
  });

  it('parses INFO into key/value pairs, skipping section headers', () => {
    const info = parseInfo('# Server\r\nredis_version:7.0.15\r\nuptime_in_seconds:12\r\n\r\n# Memory\r\nmem_fragmentation_ratio:1.50\r\n');
    assert.deepEqual([...info], [['redis_version', '7.0.15'], ['uptime_in_seconds', '12'], ['mem_fragmentation_ratio', '1.50']]);
  });

  describe('against a port nothing listens on', () => {
    let udp: UdpListener;
    let obs: RedisObserver | null = null;
    beforeEach(async () => (udp = await new UdpListener().start()));
    afterEach(async () => {
      await obs?.stop();
      await udp.close();
    });

    function opts(port: number, over: Partial<RedisObserverOptions> = {}): RedisObserverOptions {
      return { host: '127.0.0.1', port: udp.port, sample_rate: 1, application_name: 'redis_observer', loop_rate: 60, redis_url: `redis://127.0.0.1:${port}/0`, timeout: 2, ...over };
    }

    it('counts redis_stats.error and restarts restart_on_timeout', async () => {
      const ctx = new FakePluginContext({ name: 'plugin:redis' });
      obs = new RedisObserver(ctx, opts(await closedPort(), { restart_on_timeout: 'cache', loop_rate: 4 }));
      await obs.start();
      assert.equal(ctx.periods[0].seconds, 4);
      await obs.lookAfter();
      await waitFor('2 counters', () => udp.lines.length >= 2);
      assert.deepEqual([...udp.lines].sort(), ['circus.redis_observer.watcher.redis_stats.error:1|c', 'circus.redis_observer.watcher.redis_stats.restart_on_error:1|c']);
      assert.deepEqual(ctx.casts, [{ kind: 'cast', command: 'restart', props: { name: 'cache' } }]);
      assert.ok(ctx.logger.has('INFO failed'));
    });

    it('without restart_on_timeout only counts the error', async () => {
      const ctx = new FakePluginContext({ name: 'plugin:redis' });
      obs = new RedisObserver(ctx, opts(await closedPort()));
      await obs.start();
      await obs.lookAfter();
      await waitFor('the error counter', () => udp.lines.length >= 1);
      assert.deepEqual(udp.lines, ['circus.redis_observer.watcher.redis_stats.error:1|c']);
      assert.deepEqual(ctx.casts, []);
    });

    it('refuses a redis_url that is not redis://', async () => {
      obs = new RedisObserver(new FakePluginContext({ name: 'plugin:redis' }), opts(1, { redis_url: 'http://x/' }));
      await assert.rejects(obs.start(), { message: 'invalid plugin configuration: [plugin:redis] redis_url: http://x/ is not a redis://host:port/db URL' });
      obs = null;
    });
  });
});
