import { strict as assert } from 'node:assert';
import type { AnyCircusEvent } from '../../../../kernel';
import { StatsdClient } from '../../../../protocol/statsd';
import { FullStats, fullStatsPlugin, plugin, StatsdEmitter } from '../../../../plugins/statsd';
import { FakePluginContext } from '../../../support/fake-plugin-context';
import { UdpListener } from '../../../support/udp-listener';
import { waitFor } from '../../../integration/kernel/helpers';

const quiet = { warning: (m: string) => assert.fail(m) };

function ev(watcher: string, name: 'spawn' | 'reap' | 'stop', pid = 1): AnyCircusEvent {
  if (name === 'stop') return { name, watcher, payload: { time: 1 } };
  if (name === 'reap') return { name, watcher, payload: { process_pid: pid, time: 1, exit_code: 0 } };
  return { name, watcher, payload: { process_pid: pid, time: 1 } };
}

describe('statsd wire format (spec/daemon.md 6.9)', () => {
  it('prefixes the bucket and renders counters, gauges and timers as Circus does', () => {
    const c = new StatsdClient('127.0.0.1', 1, 'circus.app.watcher', 1, quiet);
    assert.equal(c.line('web.spawn', '1|c'), 'circus.app.watcher.web.spawn:1|c');
    const r = new StatsdClient('127.0.0.1', 1, 'circus.app.watcher', 0.5, quiet);
    assert.equal(r.line('web.spawn', '1|c'), 'circus.app.watcher.web.spawn:1|c|@0.5');
    const two = new StatsdClient('127.0.0.1', 1, 'x', 2, quiet);
    assert.equal(two.line('b', '3|g'), 'x.b:3|g|@2.0', 'the rate is printed as a Python float');
  });

  it('sends one datagram per metric with Python number rendering', async () => {
    const udp = await new UdpListener().start();
    const c = StatsdClient.fromOptions({ host: '127.0.0.1', port: udp.port, sample_rate: 1, application_name: 'myapp' }, quiet);
    try {
      c.increment('a');
      c.gauge('b', 0, 'float');
      c.gauge('c', 12.5, 'float');
      c.gauge('d', 12);
      c.timing('e', 42);
      await waitFor('5 datagrams', () => udp.lines.length >= 5);
      assert.deepEqual([...udp.lines].sort(), [
        'circus.myapp.watcher.a:1|c',
        'circus.myapp.watcher.b:0.0|g',
        'circus.myapp.watcher.c:12.5|g',
        'circus.myapp.watcher.d:12|g',
        'circus.myapp.watcher.e:42|ms',
      ]);
    } finally {
      await c.close();
      await udp.close();
    }
  });
});

describe('StatsdEmitter (spec/daemon.md 6.9)', () => {
  let udp: UdpListener;
  let ctx: FakePluginContext;
  beforeEach(async () => {
    udp = await new UdpListener().start();
    ctx = new FakePluginContext({ name: 'plugin:statsd' });
  });
  afterEach(async () => udp.close());

  it('declares host, port, sample_rate, application_name with the Circus defaults and names', () => {
    const defaults = Object.fromEntries(Object.entries(plugin.options).map(([k, s]) => [k, s.default]));
    assert.deepEqual(defaults, { host: 'localhost', port: 8125, sample_rate: 1, application_name: 'app' });
    assert.deepEqual(plugin.aliases, ['circus.plugins.statsd.StatsdEmitter', 'circus.plugins._statsd.StatsdEmitter']);
    assert.equal(plugin.honoursActive, false);
  });

  it('counts every event as <watcher res_name>.<action> with the sample rate announced', async () => {
    const emitter = new StatsdEmitter(ctx, { host: '127.0.0.1', port: udp.port, sample_rate: 0.5, application_name: 'shop' });
    await emitter.start();
    ctx.emit(ev('web', 'spawn'));
    ctx.emit(ev('My Web', 'reap'));
    await waitFor('2 datagrams', () => udp.lines.length >= 2);
    await emitter.stop();
    assert.deepEqual([...udp.lines].sort(), ['circus.shop.watcher.my_web.reap:1|c|@0.5', 'circus.shop.watcher.web.spawn:1|c|@0.5']);
    assert.equal(ctx.subscriptions, 0, 'stop() unsubscribes');
  });
});

describe('FullStats (spec/daemon.md 6.9, tests/test_plugin_statsd.py)', () => {
  let udp: UdpListener;
  let ctx: FakePluginContext;
  beforeEach(async () => {
    udp = await new UdpListener().start();
    ctx = new FakePluginContext({ name: 'plugin:full' });
  });
  afterEach(async () => udp.close());

  it('gauges per watcher in Circus order, skipping plugin:* and counting errors', async () => {
    assert.equal(fullStatsPlugin.options.loop_rate.default, 60);
    const infos = {
      test: {
        '10': { pid: 10, cpu: 1.5, mem: 0.25, mem_info1: '1.00M' },
        '11': { pid: 11, cpu: 0, mem: 0.5, mem_info1: '2.00M' },
        '12': 'No such process (stopped?)',
      },
      idle: {},
      'plugin:x': { '13': { pid: 13, cpu: 0, mem: 0, mem_info1: '1.00K' } },
    };
    let fail = false;
    ctx.replies.set('stats', () => (fail ? new Error('boom') : { infos }));
    const fs = new FullStats(ctx, { host: '127.0.0.1', port: udp.port, sample_rate: 1, application_name: 'app', loop_rate: 0.2 });
    await fs.start();
    assert.equal(ctx.periods[0].seconds, 0.2);
    await fs.lookAfter();
    await waitFor('8 gauges', () => udp.lines.length >= 8);
    assert.deepEqual(udp.lines, [
      'circus.app.watcher._stats.test.watchers_num:2|g',
      'circus.app.watcher._stats.test.cpu_max:1.5|g',
      'circus.app.watcher._stats.test.cpu_sum:1.5|g',
      'circus.app.watcher._stats.test.mem_pct_max:0.5|g',
      'circus.app.watcher._stats.test.mem_pct_sum:0.75|g',
      'circus.app.watcher._stats.test.mem_max:2097152|g',
      'circus.app.watcher._stats.test.mem_sum:3145728|g',
      'circus.app.watcher._stats.idle.watchers_num:0|g',
    ]);
    fail = true;
    await fs.lookAfter();
    await waitFor('the error counter', () => udp.matching('_stats.error').length === 1);
    assert.equal(udp.lines[8], 'circus.app.watcher._stats.error:1|c');
    await fs.stop();
    assert.equal(ctx.periods[0].disposed, true);
  });
});
