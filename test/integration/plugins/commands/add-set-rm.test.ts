import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import { ArgumentError, CommandError, NotFoundError, type AnyCircusEvent } from '../../../../kernel';
import { alive } from '../../kernel/helpers';
import { Bench, fixture, waitFor } from './helpers';

describe('commands plugin: add, set, rm', function () {
  this.timeout(30000);
  let b: Bench;

  beforeEach(() => {
    b = new Bench();
  });

  afterEach(async () => {
    assert.deepEqual(await b.close(), [], 'no process may outlive the test');
  });

  function events(): AnyCircusEvent[] {
    const list: AnyCircusEvent[] = [];
    b.a.bus.onAny((e) => list.push(e));
    return list;
  }

  function sleeperCmd(name: string): string {
    return `${process.execPath} ${fixture('sleeper.js')} ${b.tmp} ${name}`;
  }

  it('add without start answers at once: watcher stopped, add event; duplicate (any case) is errno 5', async () => {
    await b.start({ watchers: [] });
    const ev = events();
    assert.deepEqual(await b.answer('add', { name: 't1', cmd: sleeperCmd('t1') }), {});
    assert.deepEqual(await b.answer('status', { name: 't1' }), { status: 'stopped' });
    assert.deepEqual(ev.map((e) => `${e.name}:${e.watcher}`), ['add:t1']);
    await b.fails('add', { name: 'T1', cmd: 'x' }, CommandError, "'T1' already exist");
    assert.equal(b.a.lock.running, null);
  });

  it('add with start: background result {started, kept} at top level', async () => {
    await b.start({ watchers: [] });
    const res = (await b.waited('add', { name: 't2', cmd: sleeperCmd('t2'), start: true, options: { numprocesses: 2, graceful_timeout: 2 } })) as {
      started: number[];
      kept: number[];
    };
    assert.equal(res.started.length, 2);
    assert.deepEqual(res.kept, []);
    assert.deepEqual(Object.keys(res), ['started', 'kept']);
    assert.equal(b.a.getWatcher('t2').status, 'active');
  });

  it('add refuses bad input with Circus reasons and adds nothing', async () => {
    await b.start({ watchers: [] });
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '', cmd: 'x' }, "'name' must be a non-empty string"],
      [{ name: 'a', cmd: null }, "'cmd' must be a non-empty string"],
      [{ name: 'a', cmd: 'x', options: 3 }, "'options' property should be an object"],
      [{ name: 'a', cmd: 'x', options: { bogus: 1 } }, "unknown key 'bogus'"],
      [{ name: 'a', cmd: 'x', options: { numprocesses: '2' } }, "'numprocesses' isn't an integer"],
      [{ name: 'a', cmd: 'x', options: { graceful_timeout: '2' } }, "'graceful_timeout' isn't a number"],
      [{ name: 'a', cmd: 'x', options: { shell: 'yes' } }, "'shell' isn't a valid boolean"],
      [{ name: 'a', cmd: 'x', options: { env: { A: 2 } } }, "'A' isn't a string"],
      [{ name: 'a', cmd: 'x', options: { env: [] } }, "'env' isn't a valid object"],
      [{ name: 'a', cmd: 'x', options: { uid: 1.5 } }, "'uid' isn't an integer or string"],
      [{ name: 'a', cmd: 'x', options: { stdout_stream: {} } }, "'stdout_stream' must have a 'class' key"],
      [{ name: 'a', cmd: 'x', options: { hooks: { nope: 'x' } } }, "Unknown hook {'nope': 'x'}"],
      [{ name: 'a', cmd: 'x', options: { hooks: 'x' } }, "'x' isn't a valid hook dict"],
      [{ name: 'a', cmd: 'x', options: { rlimit_bogus: 1 } }, "'rlimit_bogus' isn't a valid rlimit setting"],
      [{ name: 'a', cmd: 'x', options: { rlimit_nofile: '1' } }, "'1' rlimit value isn't a valid int"],
    ];
    for (const [props, reason] of cases) await b.fails('add', props, ArgumentError, reason);
    await assert.rejects(b.invoke('add', { name: 'a' }), /missing property 'cmd'/);
    assert.deepEqual(await b.answer('list'), { watchers: [] });
  });

  it('add with endpoint_owner on an ipc endpoint requires options.uid equal to it (as a string)', async () => {
    const me = os.userInfo().username;
    await b.start({ watchers: [], endpoint: `ipc://${b.tmp}/ctl.sock`, endpoint_owner: me });
    await b.fails('add', { name: 'a', cmd: 'x' }, ArgumentError, 'uid does not match endpoint_owner');
    await b.fails('add', { name: 'a', cmd: 'x', options: { uid: os.userInfo().uid } }, ArgumentError, 'uid does not match endpoint_owner');
    assert.deepEqual(await b.answer('add', { name: 'a', cmd: 'x', options: { uid: me } }), {});
  });

  it('set: validated before the lookup; changes stored with one updated per key; reconcile in the background', async () => {
    await b.start({ watchers: [b.sleeper('web')] });
    const ev = events();
    await b.fails('set', { name: 'nope', options: { bogus: 1 } }, ArgumentError, "unknown key 'bogus'");
    await b.fails('set', { name: 'nope', options: { numprocesses: 2 } }, NotFoundError, "watcher 'nope' not found");
    await b.fails('set', { name: 'web', options: { env: { A: 2 } } }, ArgumentError, "'A' isn't a string");
    assert.deepEqual(await b.waited('set', { name: 'web', options: { numprocesses: 3, graceful_timeout: 3 } }), {});
    assert.equal(b.a.getWatcher('web').pids.length, 3);
    const { options } = (await b.answer('get', { name: 'web', keys: ['numprocesses', 'graceful_timeout'] })) as { options: unknown };
    assert.deepEqual(options, { numprocesses: 3, graceful_timeout: 3 });
    assert.deepEqual(ev.filter((e) => e.name === 'updated').length, 2);
  });

  it('a bad set leaves every option as it was (no updated event)', async () => {
    await b.start({ watchers: [b.sleeper('web'), b.sleeper('solo', { singleton: true })] });
    const ev = events();
    const before = await b.answer('options', { name: 'web' });
    await b.fails('set', { name: 'solo', options: { numprocesses: 2 } }, CommandError, 'Singleton watcher has a single process');
    await b.fails('set', { name: 'web', options: { numprocesses: 4, max_age: 3, uid: 'no-such-user-xyz' } }, CommandError, "'no-such-user-xyz' isn't a valid user name");
    assert.deepEqual(await b.answer('options', { name: 'web' }), before);
    assert.deepEqual(ev.filter((e) => e.name === 'updated'), []);
    assert.equal(b.a.getWatcher('web').pids.length, 1);
  });

  it('set cmd on an active watcher reloads it (new pids, reload event); ignored keys still announce updated', async () => {
    await b.start({ watchers: [b.sleeper('web')] });
    const ev = events();
    const old = [...b.a.getWatcher('web').pids];
    await b.waited('set', { name: 'web', options: { args: [fixture('sleeper.js'), b.tmp, 'web2'] } });
    assert.ok(b.a.getWatcher('web').pids.every((p) => !old.includes(p)));
    assert.ok(ev.some((e) => e.name === 'reload'));
    await b.waited('set', { name: 'web', options: { max_retry: 9, respawn: false } });
    assert.equal(ev.filter((e) => e.name === 'updated').length, 3);
    const { options } = (await b.answer('get', { name: 'web', keys: ['max_retry', 'respawn'] })) as { options: unknown };
    assert.deepEqual(options, { max_retry: 5, respawn: true });
  });

  it('rm: unregistered at once (remove event), stopped in the background; nostop leaves the processes running', async () => {
    await b.start({ watchers: [b.sleeper('web'), b.sleeper('keep')] });
    const ev = events();
    const [pid] = b.a.getWatcher('web').pids;
    const out = await b.invoke('rm', { name: 'web' });
    assert.ok('background' in out);
    assert.deepEqual(await b.answer('numwatchers'), { numwatchers: 1 });
    assert.deepEqual(await out.background, {});
    assert.ok(!alive(pid));
    assert.deepEqual(ev.filter((e) => e.name === 'remove').map((e) => e.watcher), ['web']);
    const [kept] = b.a.getWatcher('keep').pids;
    await b.waited('rm', { name: 'keep', nostop: true });
    assert.ok(alive(kept));
    process.kill(kept, 'SIGKILL');
    await waitFor('the abandoned process to die', () => !alive(kept));
    await b.fails('rm', { name: 'keep' }, NotFoundError, "watcher 'keep' not found");
  });
});
