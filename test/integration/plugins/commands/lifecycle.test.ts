import { strict as assert } from 'node:assert';
import { ArgumentError, CommandError, ConflictError, NotFoundError, type AnyCircusEvent } from '../../../../kernel';
import { Bench, fixture, waitFor } from './helpers';

describe('commands plugin: start, stop, restart, reload, incr, decr', function () {
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

  it('stop then start one watcher: waited results {info: null} and {info: {started, kept}}', async () => {
    await b.start({ watchers: [b.sleeper('web', { numprocesses: 2 })] });
    const old = [...b.a.getWatcher('web').pids];
    assert.deepEqual(await b.waited('stop', { name: 'web' }), { info: null });
    assert.deepEqual(await b.answer('status', { name: 'web' }), { status: 'stopped' });
    assert.deepEqual(await b.waited('stop', { name: 'web' }), { info: null }, 'stopping a stopped watcher does nothing');
    const res = (await b.waited('start', { name: 'web' })) as { info: { started: number[]; kept: number[] } };
    assert.equal(res.info.started.length, 2);
    assert.deepEqual(res.info.started, [...res.info.started].sort((x, y) => x - y));
    assert.deepEqual(res.info.kept, []);
    assert.ok(res.info.started.every((p) => !old.includes(p)));
    const again = (await b.waited('start', { name: 'web' })) as { info: { started: number[]; kept: number[] } };
    assert.deepEqual(again, { info: { started: [], kept: res.info.started } });
  });

  it('restart one watcher: {info: {stopped, started, kept}} with stop then start events', async () => {
    await b.start({ watchers: [b.sleeper('web', { numprocesses: 2 })] });
    const ev = events();
    const old = [...b.a.getWatcher('web').pids].sort((x, y) => x - y);
    const res = (await b.waited('restart', { name: 'web' })) as { info: { stopped: number[]; started: number[]; kept: number[] } };
    assert.deepEqual(res.info.stopped, old);
    assert.equal(res.info.started.length, 2);
    assert.deepEqual(res.info.kept, []);
    const names = ev.map((e) => e.name);
    assert.ok(names.indexOf('stop') < names.indexOf('start'));
  });

  it('name matching: glob default, simple, regex (start-anchored, lower-cased), unknown method, no match', async () => {
    await b.start({ watchers: [b.sleeper('alpha'), b.sleeper('alp2'), b.sleeper('beta', { autostart: false })] });
    assert.deepEqual(await b.waited('stop', { name: 'alp*' }), {});
    assert.deepEqual(await b.answer('status'), { statuses: { alp2: 'stopped', alpha: 'stopped', beta: 'stopped' } });
    assert.deepEqual(await b.waited('start', { name: '^AL', match: 'regex' }), {});
    assert.equal(b.a.getWatcher('alpha').status, 'active');
    assert.equal(b.a.getWatcher('alp2').status, 'active');
    await b.fails('start', { name: 'ALP' }, NotFoundError, "watcher 'ALP' not found");
    await b.fails('start', { name: 'alp', match: 'simple' }, NotFoundError, "watcher 'alp' not found");
    await b.fails('start', { name: 'alpha', match: 'zz' }, ArgumentError, 'unknown match method zz');
    await b.fails('start', { name: '(', match: 'regex' }, CommandError, /Invalid regular expression/);
    // Several matches skip autostart = false watchers; a single match starts it anyway.
    assert.deepEqual(await b.waited('start', { name: '*' }), {});
    assert.equal(b.a.getWatcher('beta').status, 'stopped');
    const one = (await b.waited('start', { name: 'beta', match: 'simple' })) as { info: { started: number[] } };
    assert.equal(one.info.started.length, 1);
    // restart of several: all stopped, autostart ones started again.
    assert.deepEqual(await b.waited('restart', { name: '*' }), {});
    assert.equal(b.a.getWatcher('beta').status, 'stopped');
    assert.equal(b.a.getWatcher('alpha').status, 'active');
  });

  it('start and stop without a name act on every (autostart) watcher', async () => {
    await b.start({ watchers: [b.sleeper('a'), b.sleeper('manual', { autostart: false })] });
    assert.deepEqual(await b.waited('stop'), {});
    assert.deepEqual(await b.answer('status'), { statuses: { a: 'stopped', manual: 'stopped' } });
    assert.deepEqual(await b.waited('start'), {});
    assert.deepEqual(await b.answer('status'), { statuses: { a: 'active', manual: 'stopped' } });
  });

  it('a busy lock refuses at once with ConflictError naming the holder; released after the work', async () => {
    const ready = `${b.tmp}/ready`;
    await b.start({ watchers: [{ name: 'stubborn', cmd: process.execPath, args: [fixture('ignore-term.js'), ready, b.tmp], graceful_timeout: 3 }] });
    await waitFor('the TERM handler', () => require('node:fs').existsSync(ready));
    const stopping = await b.invoke('stop', { name: 'stubborn' });
    assert.ok('background' in stopping);
    await b.fails('start', { name: 'stubborn' }, ConflictError, 'arbiter is already running watcher_stop command');
    await b.fails('incr', { name: 'stubborn' }, ConflictError, 'arbiter is already running watcher_stop command');
    await b.fails('quit', {}, ConflictError, 'arbiter is already running watcher_stop command');
    // Read-only commands never take the lock.
    assert.deepEqual(await b.answer('status', { name: 'stubborn' }), { status: 'stopping' });
    await stopping.background;
    assert.equal(b.a.lock.running, null);
  });

  it('reload with a name: new processes replace the old ones; reload event; without name a bare result', async () => {
    await b.start({ watchers: [b.sleeper('web', { numprocesses: 2 }), b.sleeper('off', { autostart: false })] });
    const ev = events();
    const old = [...b.a.getWatcher('web').pids];
    const res = (await b.waited('reload', { name: 'web' })) as { info: { stopped: number[]; started: number[]; kept: number[] } };
    assert.deepEqual(res.info.stopped, [...old].sort((x, y) => x - y));
    assert.equal(res.info.started.length, 2);
    assert.ok(res.info.started.every((p) => !old.includes(p)));
    assert.deepEqual(res.info.kept, []);
    assert.ok(ev.some((e) => e.name === 'reload' && e.watcher === 'web'));
    await b.fails('reload', { name: 'nope' }, NotFoundError, "watcher 'nope' not found");
    assert.deepEqual(await b.waited('reload', {}), {});
    assert.equal(b.a.getWatcher('off').status, 'active', 'reload without a name starts stopped watchers, autostart = false included');
  });

  it('incr and decr: waited {numprocesses}, clamped at 0, negative nb works backwards; singleton answers at once', async () => {
    await b.start({ watchers: [b.sleeper('web'), b.sleeper('solo', { singleton: true })] });
    assert.deepEqual(await b.waited('incr', { name: 'web', nb: 2 }), { numprocesses: 3 });
    assert.equal(b.a.getWatcher('web').pids.length, 3);
    assert.deepEqual(await b.waited('decr', { name: 'web' }), { numprocesses: 2 });
    assert.equal(b.a.getWatcher('web').pids.length, 2);
    assert.deepEqual(await b.waited('decr', { name: 'web', nb: -1 }), { numprocesses: 3 });
    assert.deepEqual(await b.waited('decr', { name: 'web', nb: 100 }), { numprocesses: 0 });
    assert.equal(b.a.getWatcher('web').pids.length, 0);
    assert.deepEqual(await b.waited('incr', { name: 'web' }), { numprocesses: 1 });
    assert.deepEqual(await b.answer('incr', { name: 'solo' }), { numprocesses: 1, singleton: true });
    await b.fails('incr', { name: 'web', nb: 'x' }, ArgumentError, "'nb' isn't an integer");
    await b.fails('decr', { name: 'nope' }, NotFoundError, "watcher 'nope' not found");
    assert.equal(b.a.getWatcher('web').numprocesses, 1, 'a refused request changed nothing');
  });

  it('decr retires the oldest processes', async () => {
    await b.start({ watchers: [b.sleeper('web', { numprocesses: 1 })] });
    const [first] = b.a.getWatcher('web').pids;
    await b.waited('incr', { name: 'web' });
    await b.waited('decr', { name: 'web' });
    assert.ok(!b.a.getWatcher('web').pids.includes(first));
  });
});
