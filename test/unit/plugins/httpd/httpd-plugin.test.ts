import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import type { Arbiter, CircusConfig } from '../../../../kernel';
import { HttpdConfigError } from '../../../../plugins/httpd/errors';
import { HttpdPlugin, httpdSocketRecord } from '../../../../plugins/httpd/index';
import { MemoryLogger } from '../../../support/memory-logger';
import { freePort } from '../../../support/free-port';
import { rawRequest } from './helpers';

/** An arbiter without a `circushttpd` circus socket (an embedder's): the plugin listens itself. */
const noSockets = { sockets: { get: () => undefined } } as unknown as Arbiter;

function config(overrides: Partial<CircusConfig>): CircusConfig {
  return {
    endpoint: 'tcp://0.0.0.0:1',
    httpd_host: '127.0.0.1',
    httpd_port: 0,
    httpd_password_hash: null,
    httpd_allowed_hosts: [],
    httpd_secure_cookie: false,
    ...overrides,
  } as CircusConfig;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('plugins/httpd/httpd-plugin: the circushttpd facade plugin', () => {
  it('refuses to start beyond loopback without a password hash (a hand-made config), binding nothing', async () => {
    const port = await freePort();
    const plugin = new HttpdPlugin(noSockets, config({ httpd_host: '0.0.0.0', httpd_port: port }), new MemoryLogger());
    await assert.rejects(plugin.start(), (e: unknown) => e instanceof HttpdConfigError && /beyond loopback/.test(e.message));
    assert.equal(await portIsFree(port), true);
  });

  it('without the circus socket listens on httpd_host:httpd_port itself; its daemon is the control endpoint (0.0.0.0 as 127.0.0.1)', async () => {
    const port = await freePort();
    const logger = new MemoryLogger();
    const plugin = new HttpdPlugin(noSockets, config({ httpd_port: port }), logger);
    await plugin.start();
    try {
      const res = await rawRequest(port, { path: '/api/daemons' });
      assert.equal(res.status, 200);
      const [daemon] = res.json().daemons as { id: string; endpoint: string }[];
      assert.deepEqual([daemon.id, daemon.endpoint], ['local', 'tcp://127.0.0.1:1']);
      assert.ok(logger.has(`web panel listening on http://127.0.0.1:${port}`));
    } finally {
      await plugin.stop();
    }
    assert.equal(await portIsFree(port), true, 'stop() closed the listener');
  });

  it('describes the circushttpd circus socket from httpd_host and httpd_port (IPv6 as AF_INET6)', () => {
    assert.deepEqual(httpdSocketRecord({ httpd_host: 'localhost', httpd_port: 8080 }), {
      name: 'circushttpd',
      __name__: 'socket:circushttpd',
      host: 'localhost',
      port: '8080',
      so_reuseport: false,
      replace: false,
    });
    assert.equal(httpdSocketRecord({ httpd_host: '[::1]', httpd_port: 1 }).family, 'AF_INET6');
    assert.equal(httpdSocketRecord({ httpd_host: '[::1]', httpd_port: 1 }).host, '::1');
  });
});
