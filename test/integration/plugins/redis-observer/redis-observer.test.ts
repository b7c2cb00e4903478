import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { plugin as redisObserver } from '../../../../plugins/redis-observer/index';
import { startPlugin, type RunningPlugin } from '../../../support/plugin-context';
import { UdpListener } from '../../../support/udp-listener';
import { recordEvents } from '../../kernel/helpers';
import { Bench, waitFor } from '../commands/helpers';

const HAVE_REDIS = spawnSync('redis-server', ['--version']).status === 0;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** True once something answers PING with +PONG on the port. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let got = '';
    sock.setTimeout(1000, () => sock.destroy());
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      got += d.toString();
      if (got.includes('\r\n')) sock.end();
    });
    sock.on('close', () => resolve(got.startsWith('+PONG')));
    sock.on('error', () => undefined);
  });
}

describe('redis_observer against a real redis-server (spec/daemon.md 6.11)', function () {
  this.timeout(60000);
  let b: Bench;
  let udp: UdpListener;
  let running: RunningPlugin | null = null;

  before(function () {
    // In CI the server must be there (.ci/run installs it); elsewhere a missing one skips.
    if (!HAVE_REDIS && !process.env.CI) this.skip();
  });

  beforeEach(async () => {
    b = new Bench();
    udp = await new UdpListener().start();
  });

  afterEach(async () => {
    await running?.stop();
    running = null;
    await udp.close();
    // Stops the redis-server watcher too; its argv carries the temp dir, so the leak check covers it.
    assert.deepEqual(await b.close(), [], 'no process (redis-server included) may outlive the test');
  });

  /** redis-server as a watcher on 127.0.0.1 and a free port, no persistence, configured from a file in the temp dir. */
  async function startRedis(): Promise<number> {
    const port = await freePort();
    const conf = path.join(b.tmp, 'redis.conf');
    writeFileSync(conf, `port ${port}\nbind 127.0.0.1\nsave ""\nappendonly no\ndir ${b.tmp}\nlogfile ${path.join(b.tmp, 'redis.log')}\n`);
    await b.start({ watchers: [{ name: 'redis', cmd: 'redis-server', args: [conf], graceful_timeout: 1 }] });
    await waitFor('redis-server answering PING', () => pong(port), 20000);
    return port;
  }

  it('reports INFO as gauges while the server answers', async () => {
    const port = await startRedis();
    const pid = b.a.getWatcher('redis').pids[0];
    running = await startPlugin(b.a, redisObserver, {
      host: '127.0.0.1', port: udp.port, redis_url: `redis://127.0.0.1:${port}/0`, loop_rate: 0.1, timeout: 2, restart_on_timeout: 'redis',
    }, b.logger);
    await waitFor('two rounds of gauges', () => udp.matching('redis_stats.uptime_in_seconds:').length >= 2, 10000);
    const round = udp.lines.slice(0, udp.lines.indexOf(udp.matching('redis_stats.keyspace_hits:')[0]) + 1);
    for (const line of round) assert.match(line, /^circus\.redis_observer\.watcher\.redis_stats\.[a-z_]+:-?\d+(\.\d+)?\|g$/, line);
    const keys = round.map((l) => /redis_stats\.([a-z_]+):/.exec(l)?.[1]);
    // Redis 7 no longer reports connected_slaves, so 21 of the 22 Circus keys, in Circus's order.
    for (const k of ['connected_clients', 'used_memory', 'total_commands_processed', 'uptime_in_seconds', 'keyspace_hits']) assert.ok(keys.includes(k), k);
    assert.ok(Number(/connected_clients:(\d+)/.exec(round.join('\n'))?.[1]) >= 1, 'the observer itself is a client');
    assert.deepEqual(udp.matching('redis_stats.error'), []);
    assert.deepEqual(b.a.getWatcher('redis').pids, [pid], 'no restart while it answers');
  });

  it('restarts restart_on_timeout when the server stops answering (SIGSTOP), and the new one answers again', async () => {
    const port = await startRedis();
    const redis = b.a.getWatcher('redis');
    const frozen = redis.pids[0];
    const events = recordEvents(b.a);
    running = await startPlugin(b.a, redisObserver, {
      host: '127.0.0.1', port: udp.port, redis_url: `redis://127.0.0.1:${port}/0`, loop_rate: 0.1, timeout: 0.5, restart_on_timeout: 'redis',
    }, b.logger);
    await waitFor('a first round of gauges', () => udp.matching('redis_stats.uptime_in_seconds:').length >= 1, 10000);
    process.kill(frozen, 'SIGSTOP');
    await waitFor('the frozen server replaced', () => redis.pids.length === 1 && redis.pids[0] !== frozen, 20000);
    assert.ok(events.some((e) => e.watcher === 'redis' && e.name === 'reap' && e.payload.process_pid === frozen), 'the frozen server was reaped');
    assert.ok(udp.matching('circus.redis_observer.watcher.redis_stats.error:1|c').length >= 1);
    assert.ok(udp.matching('circus.redis_observer.watcher.redis_stats.restart_on_error:1|c').length >= 1);
    assert.ok(b.logger.has(`WARNING redis://127.0.0.1:${port}/0: INFO failed`));
    // The new server comes up on the same port and the gauges resume.
    const before = udp.matching('redis_stats.uptime_in_seconds:').length;
    await waitFor('gauges from the new server', () => udp.matching('redis_stats.uptime_in_seconds:').length > before, 20000);
  });
});
