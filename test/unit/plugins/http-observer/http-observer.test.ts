import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkUrl, HttpObserver, NO_RESPONSE, plugin, type HttpObserverOptions } from '../../../../plugins/http-observer';
import { FakePluginContext } from '../../../support/fake-plugin-context';
import { UdpListener } from '../../../support/udp-listener';
import { waitFor } from '../../../integration/kernel/helpers';

/** A real HTTP server on 127.0.0.1 whose answer the test decides per path. */
async function serve(handler: http.RequestListener): Promise<{ base: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound, noted, released. */
async function closedPort(): Promise<number> {
  const s = await serve(() => undefined);
  const port = Number(new URL(s.base).port);
  await s.close();
  return port;
}

describe('http_observer check (spec/daemon.md 6.10)', () => {
  let server: { base: string; close: () => Promise<void> };
  const stalled: http.ServerResponse[] = [];
  before(async () => {
    server = await serve((req, res) => {
      const path = req.url ?? '/';
      if (path === '/ok') res.end('fine');
      else if (path === '/teapot') res.writeHead(418).end();
      else if (path.startsWith('/hop/')) {
        const n = Number(path.slice(5));
        res.writeHead(302, { location: n > 0 ? `/hop/${n - 1}` : '/ok' }).end();
      } else if (path === '/stall') stalled.push(res);
      else res.writeHead(500).end();
    });
  });
  after(async () => {
    for (const r of stalled) r.destroy();
    await server.close();
  });

  it('a 2xx is a success', async () => {
    assert.deepEqual(await checkUrl(new URL(`${server.base}/ok`), 5), { ok: true, status: 200 });
  });
  it('a final status outside 200..299 fails with that code', async () => {
    assert.deepEqual(await checkUrl(new URL(`${server.base}/teapot`), 5), { ok: false, code: 418, reason: 'HTTP 418' });
  });
  it('follows redirects (up to 5, then the 3xx is the answer)', async () => {
    assert.deepEqual(await checkUrl(new URL(`${server.base}/hop/4`), 5), { ok: true, status: 200 });
    const tooMany = await checkUrl(new URL(`${server.base}/hop/9`), 5);
    assert.equal(tooMany.ok, false);
    assert.equal(!tooMany.ok && tooMany.code, 302);
  });
  it('a refused connection is code 599', async () => {
    const r = await checkUrl(new URL(`http://127.0.0.1:${await closedPort()}/`), 5);
    assert.equal(!r.ok && r.code, NO_RESPONSE);
  });
  it('a timeout is code 599', async () => {
    const r = await checkUrl(new URL(`${server.base}/stall`), 0.2);
    assert.deepEqual(r, { ok: false, code: NO_RESPONSE, reason: 'timeout after 0.2s' });
  });
});

describe('HttpObserver (spec/daemon.md 6.10)', () => {
  let udp: UdpListener;
  let ctx: FakePluginContext;
  let obs: HttpObserver | null;
  let server: { base: string; close: () => Promise<void> };
  let status = 200;
  before(async () => {
    server = await serve((_req, res) => res.writeHead(status).end());
  });
  after(async () => server.close());
  beforeEach(async () => {
    udp = await new UdpListener().start();
    ctx = new FakePluginContext({ name: 'plugin:http' });
    obs = null;
    status = 200;
  });
  afterEach(async () => {
    await obs?.stop();
    await udp.close();
  });

  function opts(over: Partial<HttpObserverOptions> = {}): HttpObserverOptions {
    return { host: '127.0.0.1', port: udp.port, sample_rate: 1, application_name: 'http_observer', loop_rate: 60, check_url: `${server.base}/`, timeout: 10, ...over };
  }

  it('declares the Circus options and defaults', () => {
    const defaults = Object.fromEntries(Object.entries(plugin.options).map(([k, s]) => [k, s.default]));
    assert.deepEqual(defaults, {
      host: 'localhost', port: 8125, sample_rate: 1, application_name: 'http_observer', loop_rate: 60,
      check_url: 'http://localhost/', timeout: 10, restart_on_error: undefined,
    });
    assert.deepEqual(plugin.aliases, ['circus.plugins.http_observer.HttpObserver']);
  });

  it('times a successful request', async () => {
    obs = new HttpObserver(ctx, opts({ loop_rate: 3 }));
    await obs.start();
    assert.equal(ctx.periods[0].seconds, 3);
    await obs.lookAfter();
    const [line] = await waitFor('the timer', () => (udp.lines.length ? udp.lines : null));
    assert.match(line, /^circus\.http_observer\.watcher\.http_stats\.request_time:\d+\|ms$/);
    assert.deepEqual(ctx.casts, []);
  });

  it('a failed check counts error and error.<code>, and restarts restart_on_error', async () => {
    status = 503;
    obs = new HttpObserver(ctx, opts({ restart_on_error: 'web' }));
    await obs.start();
    await obs.lookAfter();
    await waitFor('3 counters', () => udp.lines.length >= 3);
    assert.deepEqual([...udp.lines].sort(), [
      'circus.http_observer.watcher.http_stats.error.503:1|c',
      'circus.http_observer.watcher.http_stats.error:1|c',
      'circus.http_observer.watcher.http_stats.restart_on_error:1|c',
    ]);
    assert.deepEqual(ctx.casts, [{ kind: 'cast', command: 'restart', props: { name: 'web' } }]);
  });

  it('without restart_on_error a failure only counts', async () => {
    obs = new HttpObserver(ctx, opts({ check_url: `http://127.0.0.1:${await closedPort()}/` }));
    await obs.start();
    await obs.lookAfter();
    await waitFor('2 counters', () => udp.lines.length >= 2);
    assert.deepEqual([...udp.lines].sort(), ['circus.http_observer.watcher.http_stats.error.599:1|c', 'circus.http_observer.watcher.http_stats.error:1|c']);
    assert.deepEqual(ctx.casts, []);
  });

  it('refuses to start with a check_url that is not http(s)', async () => {
    obs = new HttpObserver(ctx, opts({ check_url: 'ftp://x/' }));
    await assert.rejects(obs.start(), { message: 'invalid plugin configuration: [plugin:http] check_url: ftp://x/: only http and https are supported' });
  });
});
