import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { plugin as watchdog, type WatchdogPlugin } from '../../../../plugins/watchdog/index';
import { startPlugin, type RunningPlugin } from '../../../support/plugin-context';
import { alive, recordEvents } from '../../kernel/helpers';
import { Bench, fixture, waitFor } from '../commands/helpers';

describe('watchdog plugin against real processes and UDP heartbeats (spec/daemon.md 6.7)', function () {
  this.timeout(60000);
  let b: Bench;
  let running: RunningPlugin<WatchdogPlugin> | null = null;

  beforeEach(() => {
    b = new Bench();
  });

  afterEach(async () => {
    await running?.stop();
    assert.equal(running?.plugin.boundPort ?? null, null, 'the UDP socket is closed');
    running = null;
    assert.deepEqual(await b.close(), [], 'no process may outlive the test');
  });

  it('kills a process that stops sending heartbeats; the watcher replaces it; others are left alone', async () => {
    await b.start({ watchers: [b.sleeper('quiet')] });
    const [quietPid] = b.a.getWatcher('quiet').pids;
    // Port 0: the OS picks a free loopback port, read back before the heartbeat sender starts.
    running = await startPlugin<WatchdogPlugin>(
      b.a,
      watchdog,
      { loop_rate: 0.25, max_count: 4, ip: '127.0.0.1', port: 0, watchers_regex: '^beat', watchers_stop_signal: 'kill', watchers_graceful_timeout: 1 },
      b.logger,
    );
    const port = running.plugin.boundPort;
    assert.ok(port, 'the UDP socket is bound');
    const silence = path.join(b.tmp, 'silence');
    const events = recordEvents(b.a);
    await b.waited('add', {
      name: 'beat',
      cmd: process.execPath,
      args: [fixture('heartbeat.js'), String(port), silence, b.tmp],
      options: { graceful_timeout: 2 },
      start: true,
    });
    const [pid] = b.a.getWatcher('beat').pids;
    await waitFor('the pid monitored', () => running!.plugin.monitored().some((m) => m.pid === String(pid)));
    // 30 heartbeats (about 1.5 s) span more than loop_rate × max_count = 1 s: a
    // process that keeps talking is never judged silent.
    const heard = (): number => b.logger.lines.filter((l) => l.includes(`watchdog message: {'pid': '${pid}'`)).length;
    await waitFor('30 heartbeats', () => heard() >= 30, 20000);
    assert.ok(alive(pid), 'a process sending heartbeats is not killed');
    assert.ok(!b.logger.has('is not responding'));

    writeFileSync(silence, '');
    await waitFor('the silent process killed', () => b.logger.has(`watcher:beat, pid:${pid} is not responding. Kill it !`), 20000);
    await waitFor('its death (SIGKILL from watchers_stop_signal)', () => !alive(pid), 10000);
    await waitFor('a replacement', () => b.a.getWatcher('beat').pids.some((p) => p !== pid), 10000);
    assert.ok(events.some((e) => e.name === 'kill' && e.watcher === 'beat' && (e.payload as { process_pid: number }).process_pid === pid));
    // A killed process is collected without a `reap` event (spec/protocol.md 4.2): the watchdog forgot it at the kill.
    const [fresh] = b.a.getWatcher('beat').pids.filter((p) => p !== pid);
    await waitFor('the replacement monitored', () => running!.plugin.monitored().some((m) => m.pid === String(fresh)));
    assert.ok(!running.plugin.monitored().some((m) => m.pid === String(pid)), 'the killed pid is forgotten');
    assert.deepEqual(b.a.getWatcher('quiet').pids, [quietPid], 'a watcher outside watchers_regex is never killed');
    assert.ok(!running.plugin.monitored().some((m) => m.watcher === 'quiet'));
  });

  it('discovers the pids of the matching watchers at its first period', async () => {
    await b.start({ watchers: [b.sleeper('test1'), b.sleeper('other')] });
    const [pid] = b.a.getWatcher('test1').pids;
    running = await startPlugin<WatchdogPlugin>(b.a, watchdog, { loop_rate: 60, watchers_regex: '^test.*$', port: 0 }, b.logger);
    assert.deepEqual(running.plugin.monitored(), [], 'nothing known before the first period');
    await running.stop();
    running = await startPlugin<WatchdogPlugin>(b.a, watchdog, { loop_rate: 0.05, max_count: 1000, watchers_regex: '^test.*$', port: 0 }, b.logger);
    await waitFor('discovery', () => b.logger.has(`discovered: test1, pid:${pid}`));
    assert.deepEqual(running.plugin.monitored().map((m) => [m.watcher, m.pid]), [['test1', String(pid)]]);
  });
});
