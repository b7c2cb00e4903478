/**
 * The in-process panel of a real circusd (`httpd = 1`): real HTTP requests
 * (node's fetch, and raw requests where a forged Host is needed), a real
 * websocket, real watcher processes. Only 127.0.0.1 is ever bound.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { hashPassword } from '../../../../plugins/httpd/password';
import { alive, waitFor } from '../../cli/circusd-harness';
import { holdPort } from '../../../support/free-port';
import { rawRequest, RecordingSocket, until } from '../../../unit/plugins/httpd/helpers';
import { CIRCUSCTL, listenerFds, panelConfig, panelRig, startPanelDaemon, type PanelDaemonRun } from './panel-support';

const PASSWORD = 'open sesame';
const run = promisify(execFile);

describe('plugins/httpd: the panel of a real circusd (httpd = 1)', function () {
  this.timeout(60_000);
  const rig = panelRig();
  let hash: string;

  before(async () => {
    hash = await hashPassword(PASSWORD);
  });

  const url = (d: PanelDaemonRun, path: string): string => `http://127.0.0.1:${d.port}${path}`;
  const json = { 'Content-Type': 'application/json' };
  async function login(d: PanelDaemonRun, password = PASSWORD): Promise<Response> {
    return fetch(url(d, '/login'), { method: 'POST', headers: json, body: JSON.stringify({ password }), redirect: 'manual' });
  }
  async function loggedIn(d: PanelDaemonRun): Promise<{ cookie: string; csrf: string }> {
    const res = await login(d);
    assert.equal(res.status, 303);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    const session = (await (await fetch(url(d, '/api/session'), { headers: { Cookie: cookie } })).json()) as { csrf: string };
    return { cookie, csrf: session.csrf };
  }
  it('asks for the login (401 before), refuses a wrong password, answers after it, and throttles guessing (429)', async () => {
    const d = await startPanelDaemon(rig.sandbox, `httpd_password_hash = ${hash}`);
    assert.equal((await fetch(url(d, '/api/daemons'))).status, 401);
    const page = await fetch(url(d, '/'), { redirect: 'manual' });
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/login');
    assert.equal((await login(d, 'wrong')).status, 401);
    const { cookie } = await loggedIn(d);
    const daemons = await fetch(url(d, '/api/daemons'), { headers: { Cookie: cookie } });
    assert.equal(daemons.status, 200);
    const body = (await daemons.json()) as { daemons: { id: string; endpoint: string }[] };
    assert.deepEqual(body.daemons.map((x) => [x.id, x.endpoint]), [['local', d.endpoint]]);
    // Five failures in a minute (the login above cleared the earlier one), then refused whatever the password.
    for (let i = 0; i < 5; i++) assert.equal((await login(d, `guess ${i}`)).status, 401);
    const throttled = await login(d);
    assert.equal(throttled.status, 429);
    assert.ok(Number(throttled.headers.get('retry-after')) > 0);
  });

  it('refuses a forged cross-site POST, a POST without or with a wrong X-CSRF-Token, and a foreign Host: the watcher keeps running', async () => {
    const d = await startPanelDaemon(rig.sandbox, `httpd_password_hash = ${hash}`);
    const { cookie, csrf } = await loggedIn(d);
    const pids = rig.sandbox.workerPids();
    const stop = (headers: Record<string, string>): Promise<Response> =>
      fetch(url(d, '/api/commands/stop'), { method: 'POST', headers: { ...json, Cookie: cookie, ...headers }, body: JSON.stringify({ name: 'workers' }) });
    const forged = await stop({ Origin: 'http://evil.example', 'X-CSRF-Token': csrf });
    assert.equal(forged.status, 403);
    assert.match(((await forged.json()) as { reason: string }).reason, /cross-site request refused/);
    assert.equal((await stop({})).status, 403);
    assert.equal((await stop({ 'X-CSRF-Token': 'not-the-token' })).status, 403);
    const rebound = await rawRequest(d.port, { method: 'POST', path: '/api/commands/stop', headers: { ...json, Host: 'evil.example', Cookie: cookie, 'X-CSRF-Token': csrf }, body: '{"name":"workers"}' });
    assert.equal(rebound.status, 403);
    const watcher = (await (await fetch(url(d, '/api/commands/status?name=workers'), { headers: { Cookie: cookie } })).json()) as { status: string };
    assert.equal(watcher.status, 'active', 'no state change');
    assert.deepEqual(rig.sandbox.workerPids(), pids);
    assert.ok(pids.every(alive));
  });

  it('lets a script with Bearer GET status, POST stop then start: the watcher really stops and starts', async () => {
    const d = await startPanelDaemon(rig.sandbox, `httpd_password_hash = ${hash}`);
    const bearer = { Authorization: `Bearer ${PASSWORD}` };
    const get = async (path: string): Promise<Record<string, unknown>> => (await (await fetch(url(d, path), { headers: bearer })).json()) as Record<string, unknown>;
    const post = async (command: string, props: object): Promise<Record<string, unknown>> => {
      const res = await fetch(url(d, `/api/commands/${command}`), { method: 'POST', headers: { ...bearer, ...json }, body: JSON.stringify(props) });
      assert.equal(res.status, 200);
      return (await res.json()) as Record<string, unknown>;
    };
    assert.equal((await get('/api/commands/status?name=workers')).status, 'active');
    const before = rig.sandbox.workerPids();
    assert.equal(before.length, 2);
    assert.equal((await post('stop', { name: 'workers', waiting: true })).status, 'ok');
    assert.equal((await get('/api/commands/status?name=workers')).status, 'stopped');
    await waitFor('the workers to be gone', () => before.every((p) => !alive(p)) || undefined);
    assert.equal((await post('start', { name: 'workers', waiting: true })).status, 'ok');
    assert.equal((await get('/api/commands/status?name=workers')).status, 'active');
    const pids = (await get('/api/daemons/local/commands/list?name=workers')).pids as number[];
    assert.equal(pids.length, 2);
    assert.ok(pids.every((p) => !before.includes(p) && alive(p)));
    const unknown = await post('stop', { name: 'nope' });
    assert.equal(unknown.status, 'error', 'a Circus error reply comes back as is');
  });

  it('shows circushttpd in list and its circus socket in listsockets, as Circus does; restart circushttpd keeps serving', async () => {
    const d = await startPanelDaemon(rig.sandbox);
    const list = (await (await fetch(url(d, '/api/commands/list'))).json()) as { watchers: string[] };
    // stats_endpoint is set, so statsd is on (Circus's rule) and circusd-stats is listed too.
    assert.deepEqual(list.watchers, ['circusd-stats', 'circushttpd', 'workers']);
    const sockets = (await (await fetch(url(d, '/api/commands/listsockets'))).json()) as { sockets: { name: string; host: string; port: number }[] };
    assert.deepEqual(sockets.sockets.map((s) => [s.name, s.host, s.port]), [['circushttpd', '127.0.0.1', d.port]]);
    // circusd's descriptor of the socket plus the panel server's duplicate.
    assert.equal(listenerFds(d.run.pid, d.port), 2);
    const ctl = async (...args: string[]): Promise<string> => (await run(process.execPath, [CIRCUSCTL, '--endpoint', d.endpoint, ...args], { timeout: 15_000 })).stdout;
    assert.match(await ctl('stop', 'circushttpd'), /ok/);
    // The panel closed its duplicate; the circus socket stays bound, as in Circus when its watcher stops.
    await until('the panel to close its descriptor', () => listenerFds(d.run.pid, d.port) === 1, 10_000);
    assert.match(await ctl('start', 'circushttpd'), /ok/);
    await until('the panel to answer after its restart', () => fetch(url(d, '/api/commands/status')).then((r) => r.status === 200, () => false), 15_000);
    assert.match(await ctl('restart', 'circushttpd'), /ok/);
    await until('the panel to answer after its restart', () => fetch(url(d, '/api/commands/status')).then((r) => r.status === 200, () => false), 15_000);
    assert.equal(listenerFds(d.run.pid, d.port), 2, 'no descriptor leaked by the restarts');
    const statuses = (await (await fetch(url(d, '/api/commands/status'))).json()) as { statuses: Record<string, string> };
    assert.deepEqual(statuses.statuses, { 'circusd-stats': 'active', circushttpd: 'active', workers: 'active' });
  });

  it('refuses the websocket without a login, and sends hello then the state with it', async () => {
    const d = await startPanelDaemon(rig.sandbox, `httpd_password_hash = ${hash}`);
    const anonymous = new RecordingSocket(d.port);
    rig.sockets.push(anonymous);
    await assert.rejects(anonymous.opened(), /websocket refused: 401/);
    const { cookie } = await loggedIn(d);
    const ws = new RecordingSocket(d.port, { Cookie: cookie });
    rig.sockets.push(ws);
    await ws.opened();
    const [hello, state] = await ws.received(2);
    assert.equal(hello.type, 'hello');
    assert.deepEqual((hello.daemons as { id: string; connected: boolean }[]).map((x) => [x.id, x.connected]), [['local', true]]);
    assert.equal(state.type, 'state');
    assert.equal(state.daemon, 'local');
    const watchers = state.watchers as { name: string; status: string; pids: number[] }[];
    const workers = watchers.find((w) => w.name === 'workers');
    assert.equal(workers?.status, 'active');
    assert.deepEqual([...(workers?.pids ?? [])].sort((a, b) => a - b), rig.sandbox.workerPids());
    assert.ok(watchers.some((w) => w.name === 'circushttpd'));
    // An action through the API reaches the websocket as events and a new state.
    const csrf = String(((await (await fetch(url(d, '/api/session'), { headers: { Cookie: cookie } })).json()) as { csrf: string }).csrf);
    const res = await fetch(url(d, '/api/commands/stop'), { method: 'POST', headers: { ...json, Cookie: cookie, 'X-CSRF-Token': csrf }, body: '{"name":"workers"}' });
    assert.equal(res.status, 200);
    await until('a state with the workers stopped', () =>
      ws.messages.some((m) => m.type === 'state' && (m.watchers as { name: string; status: string }[]).some((w) => w.name === 'workers' && w.status === 'stopped')),
      15_000,
    );
    assert.ok(ws.messages.some((m) => m.type === 'event' && m.watcher === 'workers'));
  });

  it('fails to start with an error naming 127.0.0.1:port when the port is taken', async () => {
    const { port, close } = await holdPort();
    try {
      const file = rig.sandbox.writeConfig('circus.ini', panelConfig(port, `httpd = 1\nhttpd_host = 127.0.0.1\nhttpd_port = ${port}`));
      const result = await rig.sandbox.run([file], 20_000);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, new RegExp(`circushttpd.*127\\.0\\.0\\.1:${port}|127\\.0\\.0\\.1:${port}.*[Aa]ddress already in use`));
    } finally {
      await close();
    }
  });

  it('refuses a config that would put the panel beyond loopback without a hash (nothing bound)', async () => {
    const file = rig.sandbox.writeConfig('circus.ini', panelConfig(1, 'httpd = 1\nhttpd_host = 0.0.0.0\nhttpd_port = 1'));
    const result = await rig.sandbox.run([file], 20_000);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /httpd_host.*beyond loopback/);
  });
});
