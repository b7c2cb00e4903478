import { strict as assert } from 'node:assert';
import { createSocket, type Socket } from 'node:dgram';
import {
  compilePythonRegex,
  DEFAULT_MSG_REGEX,
  HeartbeatTable,
  plugin,
  pyMatch,
  toSignalNumber,
  WatchdogOptionError,
  WatchdogPlugin,
  type WatchdogOptions,
} from '../../../../plugins/watchdog/index';
import { FakePluginContext } from '../../../support/fake-plugin-context';
import { waitFor } from '../../../integration/kernel/helpers';

const BASE: WatchdogOptions = {
  loop_rate: 60,
  watchers_regex: '.*',
  msg_regex: DEFAULT_MSG_REGEX,
  max_count: 3,
  ip: '127.0.0.1',
  port: 0,
};

function send(port: number, text: string): Promise<void> {
  const s = createSocket('udp4');
  return new Promise((resolve, reject) =>
    s.send(text, port, '127.0.0.1', (err) => {
      s.close();
      if (err) reject(err);
      else resolve();
    }),
  );
}

describe('watchdog plugin (spec/daemon.md 6.7)', () => {
  it('descriptor: Circus defaults and class path; active is not honoured', () => {
    const d = Object.fromEntries(Object.entries(plugin.options).map(([k, v]) => [k, v.default]));
    assert.deepEqual(d, {
      loop_rate: 60,
      watchers_regex: '.*',
      msg_regex: '^(?P<pid>.*);(?P<timestamp>.*)$',
      max_count: 3,
      ip: '127.0.0.1',
      port: 1664,
      watchers_stop_signal: undefined,
      watchers_graceful_timeout: undefined,
    });
    assert.deepEqual(plugin.aliases, ['circus.plugins.watchdog.WatchDog']);
    assert.equal(plugin.honoursActive, false);
  });

  describe('Python patterns', () => {
    it('translates named groups and matches at the start only, like re.match', () => {
      const re = compilePythonRegex('msg_regex', DEFAULT_MSG_REGEX);
      assert.deepEqual({ ...pyMatch(re, '123;1700000000.5')!.groups }, { pid: '123', timestamp: '1700000000.5' });
      const w = compilePythonRegex('watchers_regex', 'te');
      assert.ok(pyMatch(w, 'test'), 'not anchored at the end');
      assert.equal(pyMatch(w, 'atest'), null, 'anchored at the start');
      assert.ok(pyMatch(compilePythonRegex('x', '(?i)WEB'), 'web-1'), 'leading inline flag');
      assert.ok(pyMatch(compilePythonRegex('x', '(?P<a>ab)-(?P=a)'), 'ab-ab'), 'named back-reference');
      assert.throws(() => compilePythonRegex('watchers_regex', '(unclosed'), (err: unknown) => {
        assert.ok(err instanceof WatchdogOptionError);
        assert.match((err as Error).message, /^watchers_regex: invalid regular expression '\(unclosed'/);
        return true;
      });
    });

    it('to_signum: numbers, names with or without SIG in any case; unknown names fail', () => {
      assert.equal(toSignalNumber('SIGKILL'), 9);
      assert.equal(toSignalNumber('term'), 15);
      assert.equal(toSignalNumber(' 9 '), 9);
      assert.throws(() => toSignalNumber('FOO'), /watchers_stop_signal: unknown signal 'FOO'/);
    });
  });

  it('the table gives every stale pid of a pass (Q29 fixed: Circus stopped at the first)', () => {
    const t = new HeartbeatTable();
    t.monitor('1', 'a', 100);
    t.monitor('2', 'a', 100);
    t.monitor('3', 'b', 109);
    assert.equal(t.touch('4', 110), false);
    assert.equal(t.touch('2', 105), true);
    assert.deepEqual(t.takeStale(110, 4).map((s) => s.pid), ['1', '2']);
    assert.deepEqual(t.entries().map((s) => s.pid), ['3']);
  });

  describe('plugin', () => {
    let ctx: FakePluginContext;
    let dog: WatchdogPlugin | null;
    const pids: Record<string, number[]> = { test: [4242], other: [77] };

    beforeEach(() => {
      ctx = new FakePluginContext({
        replies: { list: (props) => (props.name === undefined ? { watchers: Object.keys(pids).sort() } : { pids: pids[String(props.name)] ?? [] }) },
      });
      dog = null;
    });

    afterEach(async () => {
      await dog?.stop();
      assert.equal(ctx.subscriptions, 0);
      assert.deepEqual(ctx.periodSeconds, []);
    });

    async function start(options: Partial<WatchdogOptions> = {}): Promise<WatchdogPlugin> {
      dog = new WatchdogPlugin(ctx, { ...BASE, ...options });
      await dog.start();
      return dog;
    }

    it('discovery at the first period: ^test.*$ finds the test pid, ^foo.*$ none (8.7 #77)', async () => {
      const d = await start({ watchers_regex: '^test.*$', loop_rate: 2 });
      assert.deepEqual(ctx.periodSeconds, [2]);
      await ctx.tick();
      assert.deepEqual(d.monitored().map((m) => [m.watcher, m.pid]), [['test', '4242']]);
      assert.ok(ctx.logger.has('discovered: test, pid:4242'));
      await d.stop();
      ctx = new FakePluginContext({ replies: Object.fromEntries(ctx.replies) });
      const none = await start({ watchers_regex: '^foo.*$' });
      await ctx.tick();
      assert.deepEqual(none.monitored(), []);
    });

    it('spawn and reap of matching watchers add and remove pids; others are ignored', async () => {
      const d = await start({ watchers_regex: '^te' });
      await ctx.tick();
      ctx.emit('spawn', 'Test', { process_pid: 5000, time: 0 });
      ctx.emit('spawn', 'web', { process_pid: 5001, time: 0 });
      assert.deepEqual(d.monitored().map((m) => `${m.watcher}:${m.pid}`), ['test:4242', 'test:5000']);
      assert.ok(ctx.logger.has('added new monitored pid for test:5000'));
      ctx.emit('reap', 'test', { process_pid: 4242, time: 0, exit_code: 0 });
      ctx.emit('reap', 'test', { process_pid: 9999, time: 0, exit_code: 0 });
      assert.deepEqual(d.monitored().map((m) => m.pid), ['5000']);
      assert.ok(ctx.logger.has('removed monitored pid for test:4242'));
    });

    it('UDP heartbeats refresh a pid; bad or foreign datagrams are logged, not fatal', async () => {
      const d = await start();
      await ctx.tick();
      const port = d.boundPort!;
      assert.ok(port > 0);
      assert.ok(ctx.logger.has(`INFO Watchdog listening UDP on 127.0.0.1:${port}`));
      const before = d.monitored().find((m) => m.pid === '4242')!.lastActivity;
      await send(port, 'garbage without separator');
      await waitFor('the warning', () => ctx.logger.has('does not match msg_regex'));
      await send(port, '31337;1.0');
      await waitFor('the foreign warning', () => ctx.logger.has("received watchdog for a non monitored process:{'pid': '31337', 'timestamp': '1.0'}"));
      await waitFor('a refreshed pid', async () => {
        await send(port, '4242;2.0');
        return d.monitored().find((m) => m.pid === '4242')!.lastActivity > before;
      });
      assert.ok(ctx.logger.has("DEBUG watchdog message: {'pid': '4242', 'timestamp': '2.0'}"));
    });

    it('kills every silent pid with kill and the signal/timeout overrides, then forgets them', async () => {
      const d = await start({ loop_rate: 0.01, max_count: 1, watchers_stop_signal: 'SIGKILL', watchers_graceful_timeout: 1.5 });
      await waitFor('kills', async () => {
        await ctx.tick();
        return ctx.sent.filter((i) => i.command === 'kill').length === 2;
      });
      const kills = ctx.sent.filter((i) => i.command === 'kill');
      assert.deepEqual(kills.map((k) => k.kind), ['cast', 'cast']);
      assert.deepEqual(kills.map((k) => k.props).sort((a, b) => Number(a.pid) - Number(b.pid)), [
        { name: 'other', pid: 77, signum: 9, graceful_timeout: 1.5 },
        { name: 'test', pid: 4242, signum: 9, graceful_timeout: 1.5 },
      ]);
      assert.ok(ctx.logger.has('watcher:test, pid:4242 is not responding. Kill it !'));
      assert.deepEqual(d.monitored(), []);
    });

    it('without overrides the kill carries only name and pid', async () => {
      await start({ loop_rate: 0.01, max_count: 1, watchers_regex: 'test' });
      await waitFor('a kill', async () => {
        await ctx.tick();
        return ctx.sent.some((i) => i.command === 'kill');
      });
      assert.deepEqual(ctx.sent.find((i) => i.command === 'kill')!.props, { name: 'test', pid: 4242 });
    });

    it('a port in use is logged as an error and the plugin runs on without heartbeats', async () => {
      const holder: Socket = createSocket('udp4');
      await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', resolve));
      try {
        const port = holder.address().port;
        const d = await start({ port });
        assert.equal(d.boundPort, null);
        assert.ok(ctx.logger.lines.some((l) => l.startsWith(`ERROR Problem while binding watchdog socket on 127.0.0.1:${port} (err `)));
      } finally {
        holder.close();
      }
    });

    it('start() refuses a msg_regex without a pid group, a bad signal, a bad loop_rate', async () => {
      await assert.rejects(new WatchdogPlugin(ctx, { ...BASE, msg_regex: '^(?P<id>\\d+)' }).start(), /msg_regex: .* must define a named group 'pid'/);
      await assert.rejects(new WatchdogPlugin(ctx, { ...BASE, watchers_stop_signal: 'NOPE' }).start(), WatchdogOptionError);
      await assert.rejects(new WatchdogPlugin(ctx, { ...BASE, loop_rate: 0 }).start(), /loop_rate: must be a positive number/);
      assert.equal(ctx.subscriptions, 0, 'nothing registered before the checks');
    });
  });
});
