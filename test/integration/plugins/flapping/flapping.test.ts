import { strict as assert } from 'node:assert';
import { plugin as flapping, type FlappingPlugin } from '../../../../plugins/flapping/index';
import { startPlugin, type RunningPlugin } from '../../../support/plugin-context';
import { recordEvents } from '../../kernel/helpers';
import { Bench, fixture, waitFor } from '../commands/helpers';

describe('flapping plugin against real crashing processes (spec/daemon.md 6.6)', function () {
  this.timeout(60000);
  let b: Bench;
  let running: RunningPlugin<FlappingPlugin> | null = null;

  beforeEach(() => {
    b = new Bench();
  });

  afterEach(async () => {
    await running?.stop();
    running = null;
    assert.deepEqual(await b.close(), [], 'no process may outlive the test');
  });

  /** A watcher whose process exits with status 3 at once; started by the test. */
  function crasher(extra: Record<string, unknown> = {}): Record<string, unknown> & { name: string; cmd: string } {
    return { name: 'crash', cmd: process.execPath, args: [fixture('die.js'), '3', b.tmp], autostart: false, ...extra };
  }

  function lines(fragment: string): string[] {
    return b.logger.lines.filter((l) => l.includes(fragment));
  }

  it('stops a watcher crashing attempts times in window, starts it after retry_in, max_retry times, then leaves it stopped', async () => {
    await b.start({ watchers: [crasher()] });
    running = await startPlugin<FlappingPlugin>(b.a, flapping, { attempts: 3, window: 10, retry_in: 0.3, max_retry: 2 }, b.logger);
    const events = recordEvents(b.a);
    await b.waited('start', { name: 'crash' });
    await waitFor('the max retry limit', () => lines('crash: flapping detected: reached max retry limit').length === 1, 30000);
    await waitFor('the watcher stopped', () => b.a.getWatcher('crash').status === 'stopped', 10000);
    assert.deepEqual(
      b.logger.lines.filter((l) => l.includes('flapping detected')),
      [
        'INFO crash: flapping detected: retry in  0s (attempt number 1)',
        'INFO crash: flapping detected: retry in  0s (attempt number 2)',
        'INFO crash: flapping detected: reached max retry limit',
      ],
    );
    const mine = events.filter((e) => e.watcher === 'crash');
    assert.equal(mine.filter((e) => e.name === 'start').length, 3, 'the test start and two retries');
    assert.equal(mine.filter((e) => e.name === 'stop').length, 3, 'three flapping stops');
    assert.ok(mine.filter((e) => e.name === 'reap').length >= 9, 'at least attempts reaps per window');
    assert.equal(running.plugin.pendingRetries, 0, 'no restart is pending after giving up');
    // The retry came retry_in after the stop, from the plugin's start cast.
    const firstStop = mine.find((e) => e.name === 'stop')!;
    const retried = mine.filter((e) => e.name === 'start')[1];
    assert.ok(retried.at >= firstStop.at, 'the retry start follows the flapping stop');
  });

  it('honours flapping.max_retry of the watcher, and re-reads it on an updated event', async () => {
    await b.start({ watchers: [crasher({ 'flapping.max_retry': '1' })] });
    running = await startPlugin<FlappingPlugin>(b.a, flapping, { attempts: 3, window: 10, retry_in: 0.2, max_retry: 5 }, b.logger);
    await b.waited('start', { name: 'crash' });
    await waitFor('the max retry limit', () => lines('reached max retry limit').length === 1, 30000);
    assert.equal(lines('attempt number').length, 1, 'one retry only: flapping.max_retry = 1');
    await waitFor('the watcher stopped', () => b.a.getWatcher('crash').status === 'stopped', 10000);

    await b.a.getWatcher('crash').set({ 'flapping.max_retry': '0' });
    await waitFor('the override re-read', () => running!.plugin.settingsOf('crash').max_retry === 0);
    await b.waited('start', { name: 'crash' });
    await waitFor('the second give-up', () => lines('reached max retry limit').length === 2, 30000);
    assert.equal(lines('attempt number').length, 1, 'max_retry 0: stopped for good without a retry');
    await waitFor('the watcher stopped', () => b.a.getWatcher('crash').status === 'stopped', 10000);
    assert.equal(running.plugin.pendingRetries, 0);
  });
});
