import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CircusdRun, Sandbox, waitFor, workerConfig } from '../../cli/circusd-harness';
import { endDaemon } from '../pubsub/pubsub-helpers';
import { UdpListener } from '../../../support/udp-listener';

/**
 * End to end through circusd and an INI file: `[plugin:NAME]` sections with
 * Circus's class paths, options given as INI strings, running in process.
 */
describe('circusd runs the statsd and http_observer plugins from [plugin:NAME] sections', function () {
  this.timeout(90_000);
  let box: Sandbox;
  let udp: UdpListener;
  let server: http.Server;
  let healthy = true;
  let run: CircusdRun | null = null;

  beforeEach(async () => {
    box = new Sandbox();
    udp = await new UdpListener().start();
    healthy = true;
    server = http.createServer((_req, res) => res.writeHead(healthy ? 200 : 500).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    if (run) await endDaemon(box, run);
    run = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await udp.close();
    await box.cleanup();
  });

  it('statsd counts the events, full_stats gauges the workers, http_observer restarts the watcher when the check fails', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
    const config = box.writeConfig(
      'c.ini',
      workerConfig(1) +
        `
[plugin:statsd]
use = circus.plugins.statsd.StatsdEmitter
host = 127.0.0.1
port = ${udp.port}
application_name = e2e

[plugin:full]
use = circus.plugins.statsd.FullStats
host = 127.0.0.1
port = ${udp.port}
loop_rate = 0.2

[plugin:http]
use = circus.plugins.http_observer.HttpObserver
host = 127.0.0.1
port = ${udp.port}
check_url = ${url}
loop_rate = 0.2
timeout = 2
restart_on_error = workers
`,
    );
    run = box.start([config]);
    const [first] = await waitFor('one worker', () => (box.workerPids().length === 1 ? box.workerPids() : undefined), 20_000);
    await waitFor('the spawn counter', () => udp.matching('circus.e2e.watcher.workers.spawn:1|c').length >= 1 || undefined, 20_000);
    await waitFor('the full_stats gauges', () => udp.matching('circus.app.watcher._stats.workers.watchers_num:1|g').length >= 1 || undefined, 20_000);
    await waitFor('a timed check', () => udp.matching('circus.http_observer.watcher.http_stats.request_time:').length >= 1 || undefined, 20_000);
    assert.deepEqual(udp.matching('_stats.plugin:'), [], 'full_stats skips the plugin:* facades');

    healthy = false;
    await waitFor('the worker replaced', () => {
      const pids = box.workerPids();
      return pids.length === 1 && pids[0] !== first ? pids : undefined;
    }, 20_000);
    await waitFor('the failure counters', () => udp.matching('circus.http_observer.watcher.http_stats.error.500:1|c').length >= 1 || undefined);
    assert.ok(udp.matching('circus.e2e.watcher.workers.reap:1|c').length >= 1, 'statsd saw the restart');
    assert.equal(run.child.exitCode, null, 'circusd still runs');
  });

  it('resource_watcher reads max_mem with a unit and the deprecated service from the INI, and restarts the watcher', async () => {
    const config = box.writeConfig(
      'c.ini',
      workerConfig(1) +
        `
[plugin:rw]
use = circus.plugins.resource_watcher.ResourceWatcher
service = workers
max_mem = 1M
max_count = 1
loop_rate = 0.2
host = 127.0.0.1
port = ${udp.port}
`,
    );
    run = box.start([config]);
    const [first] = await waitFor('one worker', () => (box.workerPids().length === 1 ? box.workerPids() : undefined), 20_000);
    await waitFor('the worker replaced', () => {
      const pids = box.workerPids();
      return pids.length === 1 && pids[0] !== first ? pids : undefined;
    }, 20_000);
    assert.ok(udp.matching('circus.app.watcher._resource_watcher.workers.over_memory:1|c').length >= 2);
    assert.ok(udp.matching('circus.app.watcher._resource_watcher.workers.restarting:1|c').length >= 1);
    const output = run.stdout() + run.stderr();
    assert.match(output, /ResourceWatcher\.service is deprecated please use ResourceWatcher\.watcher instead\./);
  });

  it('a resource_watcher without watcher fails circusd, naming the plugin', async () => {
    const config = box.writeConfig('c.ini', workerConfig(1) + `\n[plugin:rw]\nuse = resource_watcher\nmax_mem = 1M\n`);
    const r = await box.run([config], 30_000);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout + r.stderr, /\[plugin:rw\] watcher: missing: watcher is mandatory/);
  });
});
