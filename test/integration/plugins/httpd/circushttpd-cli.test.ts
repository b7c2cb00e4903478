/**
 * The standalone circushttpd program: a fleet of two real circusd under one
 * panel, `circushttpd hash-password` feeding the config loader and the
 * panel's login, the loopback rule and clean stops. Only 127.0.0.1 is bound.
 */
import { strict as assert } from 'node:assert';
import { loadConfig } from '../../../../config';
import { alive } from '../../cli/circusd-harness';
import { freePort, holdPort } from '../../../support/free-port';
import { RecordingSocket, until } from '../../../unit/plugins/httpd/helpers';
import { exitOf, panelAnswers, panelConfig, panelRig, startCircushttpd } from './panel-support';

describe('cli/circushttpd: the standalone panel', function () {
  this.timeout(60_000);
  const rig = panelRig();

  it('shows a fleet of two circusd, each a section with its own watchers, and acts on one only', async () => {
    for (const name of ['alpha', 'beta']) rig.sandbox.start([rig.sandbox.writeConfig(`${name}.ini`, panelConfig(0, '', name))]);
    await until('four workers', () => rig.sandbox.workerPids().length === 4 || undefined, 20_000);
    const port = await freePort();
    const panel = startCircushttpd(rig.sandbox, [
      '--port', String(port),
      '--endpoint', `ipc://${rig.sandbox.dir}/ctl-alpha.sock`, '--label', 'Alpha',
      '--endpoint', `ipc://${rig.sandbox.dir}/ctl-beta.sock`, '--label', 'Beta',
    ]);
    await panelAnswers(port);
    const base = `http://127.0.0.1:${port}`;
    const daemons = await until('both daemons connected', async () => {
      const body = (await (await fetch(`${base}/api/daemons`)).json()) as { daemons: { id: string; label: string; connected: boolean }[] };
      return body.daemons.every((d) => d.connected) ? body.daemons : undefined;
    }, 20_000);
    assert.deepEqual(daemons.map((d) => [d.id, d.label]), [['alpha', 'Alpha'], ['beta', 'Beta']]);
    const statuses = async (id: string): Promise<Record<string, string>> =>
      ((await (await fetch(`${base}/api/daemons/${id}/commands/status`)).json()) as { statuses: Record<string, string> }).statuses;
    assert.equal((await statuses('alpha')).alpha, 'active');
    assert.equal((await statuses('alpha')).beta, undefined);
    assert.equal((await statuses('beta')).beta, 'active');
    const ws = new RecordingSocket(port);
    rig.sockets.push(ws);
    await ws.opened();
    const [hello, s1, s2] = await ws.received(3);
    assert.deepEqual((hello.daemons as { id: string }[]).map((d) => d.id), ['alpha', 'beta']);
    assert.deepEqual([s1.daemon, s2.daemon], ['alpha', 'beta']);
    const stop = await fetch(`${base}/api/daemons/beta/commands/stop`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"beta","waiting":true}' });
    assert.equal(stop.status, 200);
    assert.equal((await statuses('beta')).beta, 'stopped');
    assert.equal((await statuses('alpha')).alpha, 'active');
    await until('two workers left', () => rig.sandbox.workerPids().filter(alive).length === 2 || undefined, 15_000);
    panel.child.kill('SIGTERM');
    assert.deepEqual(await exitOf(panel), { code: 0, signal: null });
    assert.match(panel.stderr(), /Stopping the web panel/);
  });

  it('hash-password prints a line the config loader accepts and the panel logs in with', async () => {
    const hashing = startCircushttpd(rig.sandbox, ['hash-password'], 'my panel password\n');
    assert.equal((await exitOf(hashing)).code, 0);
    const line = hashing.stdout().trim();
    assert.match(line, /^scrypt\$16384\$8\$1\$/);
    assert.equal(hashing.stdout().split('\n').length, 2, 'one line only');
    const file = rig.sandbox.writeConfig('circus.ini', `[circus]\nhttpd = 1\nhttpd_host = 0.0.0.0\nhttpd_password_hash = ${line}\n`);
    const { config } = loadConfig(file, { env: {} });
    assert.equal(config.httpd_password_hash, line);
    assert.equal(config.httpd_host, '0.0.0.0', 'beyond loopback is allowed with a hash');
    // The same line logs a standalone panel in (its daemon may be down: the panel still serves).
    const port = await freePort();
    const panel = startCircushttpd(rig.sandbox, ['--port', String(port), '--endpoint', `ipc://${rig.sandbox.dir}/none.sock`, '--password-hash', line]);
    await panelAnswers(port);
    const login = (password: string): Promise<Response> =>
      fetch(`http://127.0.0.1:${port}/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ password }), redirect: 'manual' });
    assert.equal((await login('not it')).status, 401);
    assert.equal((await login('my panel password')).status, 303);
    panel.child.kill('SIGINT');
    assert.equal((await exitOf(panel)).code, 0);
  });

  it('exits 2 naming --host when asked to listen beyond loopback without a hash', async () => {
    const refused = startCircushttpd(rig.sandbox, ['--host', '0.0.0.0', '--port', '1']);
    assert.equal((await exitOf(refused)).code, 2);
    assert.match(refused.stderr(), /--host 0\.0\.0\.0 is beyond loopback/);
  });

  it('exits 1 naming 127.0.0.1:port when the port is taken', async () => {
    const { port, close } = await holdPort();
    try {
      const panel = startCircushttpd(rig.sandbox, ['--port', String(port), '--endpoint', `ipc://${rig.sandbox.dir}/none.sock`]);
      assert.equal((await exitOf(panel)).code, 1);
      assert.match(panel.stderr(), new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the address is already in use`));
    } finally {
      await close();
    }
  });
});
