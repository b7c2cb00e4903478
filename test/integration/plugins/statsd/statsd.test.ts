import { strict as assert } from 'node:assert';
import { fullStatsPlugin, plugin as statsd } from '../../../../plugins/statsd/index';
import { startPlugin, type RunningPlugin } from '../../../support/plugin-context';
import { UdpListener } from '../../../support/udp-listener';
import { Bench, waitFor } from '../commands/helpers';

describe('statsd plugins to a real UDP listener (spec/daemon.md 6.9)', function () {
  this.timeout(60000);
  let b: Bench;
  let udp: UdpListener;
  let running: RunningPlugin | null = null;

  beforeEach(async () => {
    b = new Bench();
    udp = await new UdpListener().start();
  });

  afterEach(async () => {
    await running?.stop();
    running = null;
    await udp.close();
    assert.deepEqual(await b.close(), [], 'no process may outlive the test');
  });

  it('StatsdEmitter: one counter per event of a real watcher (start, spawn, kill, reap, stop)', async () => {
    await b.start({ watchers: [b.sleeper('Web App', { autostart: false })] });
    running = await startPlugin(b.a, statsd, { host: '127.0.0.1', port: udp.port, application_name: 'shop' }, b.logger);
    await b.waited('start', { name: 'Web App' });
    const pid = b.a.getWatcher('Web App').pids[0];
    await waitFor('the spawn and start counters', () => udp.lines.length >= 2);
    await b.waited('stop', { name: 'Web App' });
    await waitFor('the stop counter', () => udp.matching('.stop:').length === 1);
    assert.ok(pid > 0);
    for (const action of ['spawn', 'start', 'kill', 'reap', 'stop']) {
      assert.deepEqual(udp.matching(`.${action}:`), [`circus.shop.watcher.web_app.${action}:1|c`], action);
    }
  });

  it('FullStats with loop_rate 0.2: per-watcher gauges; the last five sorted are cpu_sum, mem_max, mem_pct_max, mem_pct_sum, mem_sum', async () => {
    await b.start({ watchers: [b.sleeper('test', { numprocesses: 2 })] });
    running = await startPlugin(b.a, fullStatsPlugin, { host: '127.0.0.1', port: udp.port, loop_rate: 0.2 }, b.logger);
    await waitFor('two periods of gauges', () => udp.matching('_stats.test.watchers_num').length >= 2, 10000);
    const first = udp.lines.slice(0, 7);
    assert.ok(first.length >= 5);
    assert.deepEqual(
      first.map((l) => l.split(':')[0]),
      ['watchers_num', 'cpu_max', 'cpu_sum', 'mem_pct_max', 'mem_pct_sum', 'mem_max', 'mem_sum'].map((g) => `circus.app.watcher._stats.test.${g}`),
    );
    // Circus's test: the last five gauges of a batch, sorted.
    const lastFive = first.slice(-5).map((l) => l.split(':')[0].split('.').pop()).sort();
    assert.deepEqual(lastFive, ['cpu_sum', 'mem_max', 'mem_pct_max', 'mem_pct_sum', 'mem_sum']);
    assert.equal(first[0], 'circus.app.watcher._stats.test.watchers_num:2|g');
    for (const line of first) assert.match(line, /^[^:]+:\d+(\.\d+)?\|g$/, line);
    const memSum = Number(/mem_sum:(\d+)\|g/.exec(first[6])?.[1]);
    assert.ok(memSum > 1024 * 1024, 'two node processes hold more than 1M of RSS');
  });
});
