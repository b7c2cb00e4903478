import { strict as assert } from 'node:assert';
import { FLAPPING_CHECK_DELAY, FlappingDetector, FlappingPlugin, plugin, pyPercent2d, readOverrides, type FlappingSettings } from '../../../../plugins/flapping/index';
import { FakePluginContext } from '../../../support/fake-plugin-context';
import { waitFor } from '../../../integration/kernel/helpers';

const DEFAULTS: FlappingSettings = { attempts: 2, window: 1, retry_in: 7, max_retry: 5, active: true };

describe('flapping plugin (spec/daemon.md 6.6)', () => {
  describe('descriptor', () => {
    it('has Circus defaults attempts 2, window 1, retry_in 7, max_retry 5, and the Circus class path (8.7 #74)', () => {
      const d = Object.fromEntries(Object.entries(plugin.options).map(([k, v]) => [k, v.default]));
      assert.deepEqual(d, { attempts: 2, window: 1, retry_in: 7, max_retry: 5 });
      assert.equal(plugin.name, 'flapping');
      assert.deepEqual(plugin.aliases, ['circus.plugins.flapping.Flapping']);
      assert.equal(plugin.honoursActive, true);
      assert.equal(FLAPPING_CHECK_DELAY, 5.0);
    });
  });

  describe('detector', () => {
    it('judges only when the timeline length equals attempts exactly', () => {
      const d = new FlappingDetector(5);
      const s = { ...DEFAULTS, attempts: 3 };
      assert.equal(d.reap('w', 100, s).kind, 'none');
      assert.equal(d.reap('w', 100.1, s).kind, 'none');
      assert.deepEqual(d.reap('w', 100.2, s), { kind: 'retry', attempt: 1, retryIn: 7 });
      assert.deepEqual(d.timeline('w'), [], 'the timeline is cleared');
    });

    it('the check delay of 5.0 is subtracted: a span <= window + 5 flaps, a longer one resets tries (8.7 #76)', () => {
      const d = new FlappingDetector(5);
      assert.equal(d.reap('w', 0, DEFAULTS).kind, 'none');
      assert.equal(d.reap('w', 6, DEFAULTS).kind, 'retry', 'span 6 = window 1 + 5');
      assert.equal(d.triesOf('w'), 1);
      d.reap('w', 10, DEFAULTS);
      assert.deepEqual(d.reap('w', 16.01, DEFAULTS), { kind: 'calm' });
      assert.equal(d.triesOf('w'), 0);
      assert.deepEqual(d.timeline('w'), []);
    });

    it('tries 4 < max_retry 5 retries; tries 5 gives up and resets; max_retry -1 never gives up (8.7 #76)', () => {
      const d = new FlappingDetector(5);
      d.setTries('w', 4);
      d.reap('w', 0, DEFAULTS);
      assert.deepEqual(d.reap('w', 0.1, DEFAULTS), { kind: 'retry', attempt: 5, retryIn: 7 });
      d.reap('w', 1, DEFAULTS);
      assert.deepEqual(d.reap('w', 1.1, DEFAULTS), { kind: 'give-up' });
      assert.equal(d.triesOf('w'), 0);
      const inf = { ...DEFAULTS, max_retry: -1 };
      d.setTries('w', 1000);
      d.reap('w', 2, inf);
      assert.deepEqual(d.reap('w', 2.1, inf), { kind: 'retry', attempt: 1001, retryIn: 7 });
    });

    it('an inactive watcher records reaps without judging them; its timeline keeps growing', () => {
      const d = new FlappingDetector(5);
      const off = { ...DEFAULTS, active: false };
      for (let i = 0; i < 3; i++) assert.equal(d.reap('w', i / 10, off).kind, 'none');
      assert.equal(d.timeline('w').length, 3);
      // Longer than attempts: the exact-length rule never fires again (Circus behaviour).
      assert.equal(d.reap('w', 0.4, DEFAULTS).kind, 'none');
    });

    it('watchers are independent', () => {
      const d = new FlappingDetector(5);
      d.reap('a', 0, DEFAULTS);
      assert.equal(d.reap('b', 0, DEFAULTS).kind, 'none');
      assert.equal(d.reap('a', 0.1, DEFAULTS).kind, 'retry');
    });
  });

  describe('overrides', () => {
    it('converts flapping.* keys like Circus (int, float, to_bool) and reports bad values', () => {
      const { overrides, problems } = readOverrides({
        'flapping.attempts': ' 3 ',
        'flapping.max_retry': '-1',
        'flapping.window': '2.5',
        'flapping.retry_in': 1,
        'flapping.active': 'False',
        'flapping.other': 'x',
        cmd: 'sleep',
      });
      assert.deepEqual(overrides, { attempts: 3, max_retry: -1, window: 2.5, retry_in: 1, active: false });
      assert.deepEqual(problems, []);
      const bad = readOverrides({ 'flapping.attempts': '2.5', 'flapping.window': 'soon', 'flapping.active': 'Fal' });
      assert.deepEqual(bad.overrides, {});
      assert.deepEqual(bad.problems.map((p) => p.key).sort(), ['flapping.active', 'flapping.attempts', 'flapping.window']);
      assert.match(bad.problems.find((p) => p.key === 'flapping.attempts')!.reason, /invalid literal for int\(\) with base 10: '2.5'/);
    });

    it('prints retry_in as Python %2d does', () => {
      assert.equal(pyPercent2d(7), ' 7');
      assert.equal(pyPercent2d(7.9), ' 7');
      assert.equal(pyPercent2d(120), '120');
      assert.equal(pyPercent2d(0.05), ' 0');
    });
  });

  describe('plugin', () => {
    let ctx: FakePluginContext;
    let p: FlappingPlugin;
    let options: Record<string, Record<string, unknown>>;

    beforeEach(async () => {
      options = { test: { cmd: 'x' } };
      ctx = new FakePluginContext({
        replies: {
          options: (props) => {
            const o = options[String(props.name)];
            return o ? { options: o } : new Error(`program ${String(props.name)} not found`);
          },
        },
      });
      p = new FlappingPlugin(ctx, { attempts: 2, window: 1, retry_in: 60, max_retry: 5 });
      await p.start();
    });

    afterEach(async () => {
      await p.stop();
      assert.equal(ctx.subscriptions, 0, 'every subscription is released');
      assert.equal(p.pendingRetries, 0, 'no restart timer survives stop()');
    });

    function reap(watcher = 'test'): void {
      ctx.emit('reap', watcher, { process_pid: 1, time: 0, exit_code: 1 });
    }

    it('a reap reads the options once, then two quick reaps stop the watcher with the exact log line (8.7 #75)', async () => {
      reap();
      await ctx.settle();
      assert.deepEqual(ctx.sent, [{ kind: 'call', command: 'options', props: { name: 'test' } }]);
      reap();
      await ctx.settle();
      assert.deepEqual(ctx.castLines(), ['stop test']);
      assert.equal(ctx.sent.filter((i) => i.command === 'options').length, 1, 'options are cached');
      assert.ok(ctx.logger.lines.includes('INFO test: flapping detected: retry in 60s (attempt number 1)'), ctx.logger.lines.join('\n'));
      assert.equal(p.pendingRetries, 1);
    });

    it('casts start after retry_in, then counts attempts up to max_retry and gives up', async () => {
      await p.stop();
      p = new FlappingPlugin(ctx, { attempts: 2, window: 1, retry_in: 0.02, max_retry: 2 });
      await p.start();
      for (let round = 1; round <= 2; round++) {
        reap();
        reap();
        await waitFor(`start cast ${round}`, () => ctx.castLines().filter((c) => c === 'start test').length === round);
        assert.ok(ctx.logger.has(`test: flapping detected: retry in  0s (attempt number ${round})`));
      }
      reap();
      reap();
      await ctx.settle();
      assert.ok(ctx.logger.has('test: flapping detected: reached max retry limit'));
      assert.deepEqual(ctx.castLines(), ['stop test', 'start test', 'stop test', 'start test', 'stop test']);
      assert.equal(p.pendingRetries, 0, 'no retry after giving up');
    });

    it('per-watcher overrides apply; an updated event re-reads them', async () => {
      options.test = { 'flapping.attempts': '3', 'flapping.retry_in': '2' };
      reap();
      reap();
      await ctx.settle();
      assert.deepEqual(ctx.castLines(), [], 'attempts 3: two reaps are not enough');
      reap();
      await ctx.settle();
      assert.deepEqual(ctx.castLines(), ['stop test']);
      assert.ok(ctx.logger.has('retry in  2s (attempt number 1)'));
      options.test = { 'flapping.active': 'false' };
      ctx.emit('updated', 'test', { time: 0 });
      await ctx.settle();
      assert.equal(ctx.sent.filter((i) => i.command === 'options').length, 2);
      assert.deepEqual(p.settingsOf('test'), { attempts: 3, window: 1, retry_in: 2, max_retry: 5, active: false }, 'merged over the earlier keys');
      for (let i = 0; i < 4; i++) reap();
      await ctx.settle();
      assert.deepEqual(ctx.castLines(), ['stop test'], 'flapping.active = false: no more checks');
    });

    it('a bad override is logged and the plugin default applies; an unknown watcher keeps the defaults', async () => {
      options.test = { 'flapping.attempts': 'many' };
      reap();
      reap();
      await ctx.settle();
      assert.ok(ctx.logger.has(`WARNING test: ignoring flapping.attempts = "many": invalid literal for int() with base 10: 'many'`), ctx.logger.lines.join('\n'));
      assert.deepEqual(ctx.castLines(), ['stop test']);
      reap('ghost');
      await ctx.settle();
      assert.ok(ctx.logger.has('cannot read the options of ghost: program ghost not found'));
      assert.deepEqual(p.settingsOf('ghost'), { attempts: 2, window: 1, retry_in: 60, max_retry: 5, active: true });
    });

    it('stop() cancels pending restarts: no start is cast afterwards', async () => {
      reap();
      reap();
      await ctx.settle();
      assert.equal(p.pendingRetries, 1);
      await p.stop();
      assert.equal(p.pendingRetries, 0);
      reap();
      reap();
      await ctx.settle();
      assert.deepEqual(ctx.castLines(), ['stop test'], 'events after stop are not handled');
    });
  });
});
