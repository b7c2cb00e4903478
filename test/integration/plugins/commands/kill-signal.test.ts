import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { ArgumentError, CommandError, ConflictError, NotFoundError, type AnyCircusEvent } from '../../../../kernel';
import { alive } from '../../kernel/helpers';
import { Bench, fixture, waitFor } from './helpers';

describe('commands plugin: kill, signal, quit, restart of the arbiter', function () {
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

  function recorder(name: string, file: string): Record<string, unknown> & { name: string; cmd: string } {
    return { name, cmd: process.execPath, args: [fixture('record-signal.js'), file, b.tmp], graceful_timeout: 2 };
  }

  it('kill: signal then SIGKILL after graceful_timeout (numeric string coerced); the watcher respawns', async () => {
    const ready = `${b.tmp}/ready`;
    await b.start({ watchers: [{ name: 'stubborn', cmd: process.execPath, args: [fixture('ignore-term.js'), ready, b.tmp], graceful_timeout: 30 }] });
    await waitFor('the TERM handler', () => existsSync(ready));
    const ev = events();
    const [pid] = b.a.getWatcher('stubborn').pids;
    assert.deepEqual(await b.waited('kill', { name: 'stubborn', signum: 'SIGTERM', graceful_timeout: '0.3' }), {});
    assert.ok(!alive(pid));
    assert.ok(ev.filter((e) => e.name === 'kill').length >= 2, 'TERM then KILL');
    await waitFor('a replacement', () => b.a.getWatcher('stubborn').pids.length === 1 && !b.a.getWatcher('stubborn').pids.includes(pid));
    assert.equal(b.a.getWatcher('stubborn').status, 'active');
  });

  it('kill: one pid only; unknown watcher fails only in the background (Circus quirk); bad signal errors', async () => {
    const out = `${b.tmp}/sig`;
    await b.start({ watchers: [{ ...recorder('rec', out), numprocesses: 2 }] });
    await waitFor('two ready', () => existsSync(out) && readFileSync(out, 'utf8').split('ready').length === 3);
    const [first, second] = b.a.getWatcher('rec').pids;
    await b.waited('kill', { name: 'rec', pid: String(first), signum: 'int' });
    assert.ok(!alive(first));
    assert.ok(alive(second));
    assert.match(readFileSync(out, 'utf8'), /SIGINT/);
    const bg = await b.invoke('kill', { name: 'nope' });
    assert.ok('background' in bg);
    await assert.rejects(bg.background, NotFoundError);
    await b.fails('kill', { name: 'rec', signum: 'FOO' }, CommandError, "module 'signal' has no attribute 'SIGFOO'");
    await b.fails('kill', { name: 'rec', signum: '  term' }, ArgumentError, 'signal invalid');
    await b.fails('kill', { name: 'rec', pid: 'abc' }, CommandError, "invalid literal for int() with base 10: 'abc'");
  });

  it('signal: delivered to the process, no event; children/recursive/childpid rules and errors', async () => {
    const out = `${b.tmp}/sig`;
    await b.start({ watchers: [recorder('rec', out)] });
    await waitFor('ready', () => existsSync(out));
    const ev = events();
    const [pid] = b.a.getWatcher('rec').pids;
    assert.deepEqual(await b.answer('signal', { name: 'rec', signum: 'sighup' }), {});
    await waitFor('SIGHUP recorded', () => readFileSync(out, 'utf8').includes('SIGHUP'));
    assert.deepEqual(ev, [], 'signal publishes no event');
    const now = pid;
    // A string pid is not coerced on the plain path: it matches nothing, still ok.
    assert.deepEqual(await b.answer('signal', { name: 'rec', signum: 'hup', pid: String(now) }), {});
    assert.deepEqual(await b.answer('signal', { name: 'rec', signum: 'hup', pid: 999999 }), {});
    await b.fails('signal', { name: 'rec', signum: 'hup', pid: 999999, children: true }, CommandError, '999999');
    await b.fails('signal', { name: 'rec', signum: 'hup', childpid: 3 }, CommandError, 'cannot specify childpid without pid');
    await b.fails('signal', { name: 'rec', signum: 'hup', pid: now, childpid: 3 }, CommandError, '3');
    await b.fails('signal', { name: 'rec', signum: 'FOO' }, CommandError, "module 'signal' has no attribute 'SIGFOO'");
    await b.fails('signal', { name: 'rec', signum: '' }, ArgumentError, 'signal invalid');
    await b.fails('signal', { name: 'nope', signum: 1 }, NotFoundError, "watcher 'nope' not found");
    await assert.rejects(b.invoke('signal', { name: 'rec' }), /missing property 'signum'/);
    assert.deepEqual(await b.answer('signal', { name: 'rec', signum: 1, children: true }), {}, 'no children: nothing to do');
  });

  it('signal with children reaches the direct children of the process', async () => {
    const report = `${b.tmp}/forker.json`;
    await b.start({ watchers: [{ name: 'f', cmd: process.execPath, args: [fixture('forker.js'), report, 'plain'], graceful_timeout: 2 }] });
    await waitFor('the forker report', () => existsSync(report));
    const { child } = JSON.parse(readFileSync(report, 'utf8')) as { child: number };
    assert.ok(alive(child));
    await b.answer('signal', { name: 'f', signum: 'KILL', children: true });
    await waitFor('the child gone', () => !alive(child));
    assert.equal(b.a.getWatcher('f').pids.length, 1, 'the process itself was not signalled');
  });

  it('quit: stops every watcher, then the arbiter ends with quit', async () => {
    await b.start({ watchers: [b.sleeper('web', { numprocesses: 2 })] });
    const pids = [...b.a.getWatcher('web').pids];
    assert.deepEqual(await b.waited('quit'), {});
    assert.ok(pids.every((p) => !alive(p)));
    assert.equal(await b.a.done, 'quit');
  });

  it('restart without a name: the whole arbiter ends with restart; commands meanwhile read "arbiter is restarting..."', async () => {
    const ready = `${b.tmp}/ready`;
    await b.start({ watchers: [{ name: 'stubborn', cmd: process.execPath, args: [fixture('ignore-term.js'), ready, b.tmp], graceful_timeout: 1 }] });
    await waitFor('the TERM handler', () => existsSync(ready));
    const out = await b.invoke('restart', {});
    assert.ok('background' in out);
    await b.fails('stop', { name: 'stubborn' }, ConflictError, 'arbiter is restarting...');
    await out.background;
    assert.equal(await b.a.done, 'restart');
  });
});
