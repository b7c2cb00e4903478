import { strict as assert } from 'node:assert';
import { plugin as resourceWatcher, type ResourceWatcher } from '../../../../plugins/resource-watcher/index';
import { startPlugin, type RunningPlugin } from '../../../support/plugin-context';
import { UdpListener } from '../../../support/udp-listener';
import { recordEvents } from '../../kernel/helpers';
import { Bench, fixture, waitFor } from '../commands/helpers';

describe('resource_watcher against real processes (spec/daemon.md 6.8)', function () {
  this.timeout(60000);
  let b: Bench;
  let udp: UdpListener;
  const running: RunningPlugin<ResourceWatcher>[] = [];

  beforeEach(async () => {
    b = new Bench();
    udp = await new UdpListener().start();
  });

  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop();
    await udp.close();
    assert.deepEqual(await b.close(), [], 'no process may outlive the test');
  });

  function watch(watcher: string, options: Record<string, unknown>): Promise<RunningPlugin<ResourceWatcher>> {
    const opts = { host: '127.0.0.1', port: udp.port, watcher, loop_rate: 0.1, ...options };
    return startPlugin<ResourceWatcher>(b.a, resourceWatcher, opts, b.logger, `plugin:rw-${watcher}`).then((r) => {
      running.push(r);
      return r;
    });
  }

  it('restarts a watcher whose process stays past max_mem for more than max_count checks, and leaves a small one alone', async () => {
    await b.start({
      watchers: [
        { name: 'hog', cmd: process.execPath, args: [fixture('mem-hog.js'), '150', b.tmp], graceful_timeout: 2 },
        b.sleeper('calm'),
      ],
    });
    const hog = b.a.getWatcher('hog');
    const firstPid = hog.pids[0];
    const calmPid = b.a.getWatcher('calm').pids[0];
    // Node itself needs some 40M; the hog holds 150M more.
    await waitFor('the hog to fill its memory', async () => {
      const reply = (await b.answer('stats', { name: 'hog' })) as { info: Record<string, { mem_info1: string }> };
      return /M$/.test(reply.info[firstPid].mem_info1) && parseFloat(reply.info[firstPid].mem_info1) > 150;
    }, 20000);
    const events = recordEvents(b.a);
    await watch('hog', { max_mem: '120M', max_count: 2 });
    await watch('calm', { max_mem: '120M', max_count: 2 });

    await waitFor('the hog restarted with a new process', () => hog.pids.length === 1 && hog.pids[0] !== firstPid, 20000);
    assert.ok(events.some((e) => e.watcher === 'hog' && e.name === 'reap' && e.payload.process_pid === firstPid), 'the old hog was reaped');
    await waitFor('the statsd counters', () => udp.matching('_resource_watcher.hog.restarting').length >= 1);
    assert.ok(udp.matching('circus.app.watcher._resource_watcher.hog.over_memory:1|c').length >= 3, 'max_count + 1 violations before the restart');
    assert.ok(b.logger.has('INFO hog: over_memory for more than 2 checks: restarting'));

    // The calm watcher was checked as often and never violated anything.
    assert.deepEqual(b.a.getWatcher('calm').pids, [calmPid]);
    assert.deepEqual(udp.matching('_resource_watcher.calm.'), []);
  });

  it('counts an error when the watcher does not exist', async () => {
    await b.start({ watchers: [b.sleeper('calm')] });
    await watch('ghost', {});
    await waitFor('the error counter', () => udp.matching('circus.app.watcher._resource_watcher.ghost.error:1|c').length >= 2);
  });
});
