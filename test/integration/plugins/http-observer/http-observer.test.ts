import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { plugin as httpObserver } from '../../../../plugins/http-observer/index';
import { startPlugin, type RunningPlugin } from '../../../support/plugin-context';
import { UdpListener } from '../../../support/udp-listener';
import { recordEvents } from '../../kernel/helpers';
import { Bench, waitFor } from '../commands/helpers';

describe('http_observer against a real HTTP server (spec/daemon.md 6.10)', function () {
  this.timeout(60000);
  let b: Bench;
  let udp: UdpListener;
  let server: http.Server;
  let base = '';
  let healthy = true;
  let requests = 0;
  let running: RunningPlugin | null = null;

  beforeEach(async () => {
    b = new Bench();
    udp = await new UdpListener().start();
    healthy = true;
    requests = 0;
    server = http.createServer((req, res) => {
      requests += 1;
      if (req.url === '/old') res.writeHead(301, { location: '/health' }).end();
      else res.writeHead(healthy ? 200 : 503).end(healthy ? 'ok' : 'down');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await running?.stop();
    running = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await udp.close();
    assert.deepEqual(await b.close(), [], 'no process may outlive the test');
  });

  it('leaves the watcher alone while the check passes, restarts it once the server starts failing', async () => {
    await b.start({ watchers: [b.sleeper('web')] });
    const web = b.a.getWatcher('web');
    const firstPid = web.pids[0];
    const events = recordEvents(b.a);
    running = await startPlugin(b.a, httpObserver, {
      host: '127.0.0.1', port: udp.port, check_url: `${base}/old`, loop_rate: 0.1, timeout: 5, restart_on_error: 'web',
    }, b.logger);

    await waitFor('three timed checks', () => udp.matching('http_stats.request_time:').length >= 3, 10000);
    for (const line of udp.lines) assert.match(line, /^circus\.http_observer\.watcher\.http_stats\.request_time:\d+\|ms$/);
    assert.deepEqual(web.pids, [firstPid], 'no restart while healthy');
    assert.ok(requests >= 6, 'each check followed the redirect');

    healthy = false;
    await waitFor('the watcher restarted', () => web.pids.length === 1 && web.pids[0] !== firstPid, 10000);
    assert.ok(events.some((e) => e.watcher === 'web' && e.name === 'reap' && e.payload.process_pid === firstPid));
    await waitFor('the failure counters', () => udp.matching('http_stats.restart_on_error').length >= 1);
    assert.ok(udp.lines.includes('circus.http_observer.watcher.http_stats.error:1|c'));
    assert.ok(udp.lines.includes('circus.http_observer.watcher.http_stats.error.503:1|c'));
    assert.ok(b.logger.has(`WARNING ${base}/old: check failed (HTTP 503)`));
  });

  it('a server that is gone is error 599 and restarts the watcher', async () => {
    await b.start({ watchers: [b.sleeper('web')] });
    const web = b.a.getWatcher('web');
    const firstPid = web.pids[0];
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    running = await startPlugin(b.a, httpObserver, {
      host: '127.0.0.1', port: udp.port, check_url: base, loop_rate: 0.1, timeout: 2, restart_on_error: 'web',
    }, b.logger);
    await waitFor('the watcher restarted', () => web.pids.length === 1 && web.pids[0] !== firstPid, 10000);
    await waitFor('error 599', () => udp.matching('circus.http_observer.watcher.http_stats.error.599:1|c').length >= 1);
  });
});
