import { strict as assert } from 'node:assert';
import { preparePlugin, type PluginDescriptor } from '../../../../kernel';
import { findBuiltinPlugin } from '../../../../plugins/builtin-plugins';
import { plugin as commandReloader } from '../../../../plugins/command-reloader/index';
import { plugin as flapping } from '../../../../plugins/flapping/index';
import { plugin as watchdog } from '../../../../plugins/watchdog/index';

/** The section as the INI loader gives it: string values. */
function prepare(descriptor: PluginDescriptor, values: Record<string, string>): { options: Readonly<Record<string, unknown>>; problems: string[] } {
  const name = `plugin:${descriptor.name}`;
  const { prepared, problems } = preparePlugin({ name, __name__: name, use: descriptor.name, ...values }, descriptor);
  return { options: prepared.options, problems };
}

describe('flapping, watchdog and command_reloader in the built-in table and through option validation', () => {
  it('are found by short name and by Circus class path', () => {
    for (const [use, d] of [
      ['flapping', flapping],
      ['circus.plugins.flapping.Flapping', flapping],
      ['watchdog', watchdog],
      ['circus.plugins.watchdog.WatchDog', watchdog],
      ['command_reloader', commandReloader],
      ['circus.plugins.command_reloader.CommandReloader', commandReloader],
    ] as const) {
      assert.equal(findBuiltinPlugin(use), d, use);
    }
  });

  it('command_reloader: loop_rate "2" -> 2, default 1; a fraction or 0 is refused (8.7 #78)', () => {
    assert.deepEqual(prepare(commandReloader, { loop_rate: '2' }), { options: { loop_rate: 2 }, problems: [] });
    assert.deepEqual(prepare(commandReloader, {}).options, { loop_rate: 1 });
    assert.equal(prepare(commandReloader, { loop_rate: '1.5' }).problems.length, 1);
    assert.equal(prepare(commandReloader, { loop_rate: '0' }).problems.length, 1);
  });

  it('flapping: INI strings become numbers, defaults fill the rest', () => {
    assert.deepEqual(prepare(flapping, { attempts: '3', window: '10', retry_in: '0.5' }), {
      options: { attempts: 3, window: 10, retry_in: 0.5, max_retry: 5 },
      problems: [],
    });
    assert.equal(prepare(flapping, { attempts: 'x' }).problems.length, 1);
  });

  it('watchdog: Python patterns pass validation as text; optional overrides stay unset', () => {
    const { options, problems } = prepare(watchdog, { msg_regex: '^(?P<pid>\\d+);(?P<timestamp>.*)$', port: '1700', watchers_stop_signal: 'SIGKILL' });
    assert.deepEqual(problems, []);
    assert.equal(options.msg_regex, '^(?P<pid>\\d+);(?P<timestamp>.*)$');
    assert.equal(options.port, 1700);
    assert.equal(options.watchers_stop_signal, 'SIGKILL');
    assert.equal(options.watchers_graceful_timeout, undefined);
    assert.equal(options.loop_rate, 60);
  });
});
