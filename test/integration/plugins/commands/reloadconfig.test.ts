import { strict as assert } from 'node:assert';
import { loadConfig } from '../../../../config/index';
import { ArgumentError, type AnyCircusEvent } from '../../../../kernel';
import { Bench } from './helpers';

const HEAD = '[circus]\ncheck_delay = -1\n\n';
function watcher(name: string, extra = ''): string {
  return `[watcher:${name}]\ncmd = {node} {sleeper} {dir} ${name}\ngraceful_timeout = 2\n${extra}\n`;
}

describe('commands plugin: reloadconfig', function () {
  this.timeout(30000);
  let b: Bench;

  beforeEach(() => {
    b = new Bench();
  });

  afterEach(async () => {
    assert.deepEqual(await b.close(), [], 'no process may outlive the test');
  });

  it('applies the diff: resize in place, drop removed and added-at-runtime ones, create new ones, no add/remove events', async () => {
    const ini = b.writeIni(HEAD + watcher('web', 'numprocesses = 2') + watcher('beta') + watcher('same'));
    await b.start(loadConfig(ini).config, ini);
    await b.answer('add', { name: 'dyn', cmd: 'sleep 100' });
    const web = b.a.getWatcher('web');
    const same = b.a.getWatcher('same');
    const samePids = [...same.pids];
    const ev: AnyCircusEvent[] = [];
    b.a.bus.onAny((e) => ev.push(e));
    b.writeIni(HEAD + watcher('web', 'numprocesses = 3') + watcher('same') + watcher('gamma'));
    assert.deepEqual(await b.waited('reloadconfig'), {});
    assert.deepEqual(await b.answer('list'), { watchers: ['gamma', 'same', 'web'] });
    assert.equal(b.a.getWatcher('web'), web, 'a numprocesses change keeps the watcher');
    assert.equal(web.pids.length, 3);
    assert.equal(b.a.getWatcher('same'), same);
    assert.deepEqual(same.pids, samePids, 'an unchanged watcher is not touched');
    assert.equal(b.a.getWatcher('gamma').status, 'active');
    assert.ok(!ev.some((e) => e.name === 'add' || e.name === 'remove'));
    assert.deepEqual(ev.filter((e) => e.name === 'stop').map((e) => e.watcher).sort(), ['beta']);
  });

  it('a changed cmd replaces that watcher only', async () => {
    const ini = b.writeIni(HEAD + watcher('one') + watcher('two'));
    await b.start(loadConfig(ini).config, ini);
    const one = b.a.getWatcher('one');
    const two = b.a.getWatcher('two');
    b.writeIni(HEAD + watcher('one') + watcher('two').replace('two\n', 'two changed\n'));
    await b.waited('reloadconfig');
    assert.equal(b.a.getWatcher('one'), one);
    assert.notEqual(b.a.getWatcher('two'), two);
    assert.equal(b.a.getWatcher('two').status, 'active');
    assert.equal(two.status, 'stopped');
  });

  it('a bad file is refused at once (errno 3 naming the file) and nothing changes', async () => {
    const ini = b.writeIni(HEAD + watcher('web'));
    await b.start(loadConfig(ini).config, ini);
    const pids = [...b.a.getWatcher('web').pids];
    b.writeIni(HEAD + watcher('web', 'numprocesses = lots') + watcher('new'));
    await b.fails('reloadconfig', {}, ArgumentError, new RegExp(ini.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.deepEqual(await b.answer('list'), { watchers: ['web'] });
    assert.deepEqual(b.a.getWatcher('web').pids, pids);
    assert.equal(b.a.lock.running, null);
  });

  it('a watcher that keeps using a removed socket fails before anything changes (Q36 fixed)', async () => {
    const sock = '[socket:s1]\nhost = 127.0.0.1\nport = 0\n\n';
    const user = watcher('web', 'use_sockets = True').replace('{dir} web', '{dir} web $(circus.sockets.s1)');
    const ini = b.writeIni(HEAD + sock + user);
    await b.start(loadConfig(ini).config, ini);
    b.writeIni(HEAD + user);
    await b.fails('reloadconfig', {}, ArgumentError, "reloadconfig: watcher 'web' uses socket 's1', which the new configuration removes");
    assert.equal(b.a.sockets.list().length, 1);
  });

  it('sockets added and removed', async () => {
    const ini = b.writeIni(HEAD + '[socket:s1]\nhost = 127.0.0.1\nport = 0\n\n');
    await b.start(loadConfig(ini).config, ini);
    b.writeIni(HEAD + '[socket:s2]\nhost = 127.0.0.1\nport = 0\n\n');
    await b.waited('reloadconfig');
    assert.deepEqual(b.a.sockets.list().map((s) => s.name), ['s2']);
  });

  it('a changed [circus] section restarts every watcher (Q34), then later reloads diff watchers again', async () => {
    const ini = b.writeIni(HEAD + watcher('web'));
    await b.start(loadConfig(ini).config, ini);
    const old = [...b.a.getWatcher('web').pids];
    b.writeIni('[circus]\ncheck_delay = -1\nendpoint = tcp://127.0.0.1:5599\n\n' + watcher('web') + watcher('late'));
    await b.waited('reloadconfig');
    assert.ok(b.a.getWatcher('web').pids.every((p) => !old.includes(p)), 'restarted');
    assert.deepEqual(await b.answer('list'), { watchers: ['web'] }, 'watchers not diffed on a [circus] change');
    await b.waited('reloadconfig');
    assert.deepEqual(await b.answer('list'), { watchers: ['late', 'web'] });
  });

  it('without a configuration source it is refused', async () => {
    await b.start({ watchers: [] });
    await b.fails('reloadconfig', {}, ArgumentError, 'reloadconfig: this arbiter was built without a configuration file');
  });
});
