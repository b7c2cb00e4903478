import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Arbiter, createArbiter, defaultCircusConfig, WatcherOptions } from '../../../kernel';
import { cleanup, fixture, makeTmp, MemoryLogger, recordEvents, waitFor } from './helpers';

describe('kernel integration: bad input never takes the arbiter down', function () {
  this.timeout(30000);
  let tmp: string;
  let arbiter: Arbiter | null;
  let logger: MemoryLogger;

  beforeEach(() => {
    tmp = makeTmp();
    arbiter = null;
    logger = new MemoryLogger();
  });

  afterEach(async () => {
    const left = await cleanup(arbiter, tmp);
    assert.deepEqual(left, [], 'no fixture process may outlive the test');
  });

  function healthy(): WatcherOptions {
    return { name: 'healthy', cmd: process.execPath, args: [fixture('sleeper.js'), tmp], graceful_timeout: 1 };
  }

  function make(watchers: WatcherOptions[]): Arbiter {
    arbiter = createArbiter({ config: defaultCircusConfig({ check_delay: 0.2, watchers }), logger });
    return arbiter;
  }

  function attempts(name: string): number {
    return logger.lines.filter((l) => l.startsWith(`WARNING error in '${name}':`)).length;
  }

  it('a missing program is tried exactly max_retry times, logged, and its watcher stopped', async () => {
    const a = make([healthy(), { name: 'missing', cmd: '/nonexistent/prog', max_retry: 3, respawn_backoff_min: 0.01 }]);
    const events = recordEvents(a);
    await a.start();
    const w = a.getWatcher('missing');
    assert.equal(w.status, 'stopped');
    assert.equal(attempts('missing'), 3);
    assert.ok(logger.has("error in 'missing': [Errno 2] No such file or directory: '/nonexistent/prog'"));
    assert.ok(!events.some((e) => e.watcher === 'missing' && e.name === 'spawn'));
    assert.equal(a.getWatcher('healthy').status, 'active');
    assert.equal(a.getWatcher('healthy').pids.length, 1);
  });

  it('a program missing from the child PATH is a failed attempt, not an exit 127 loop', async () => {
    const a = make([{ name: 'nopath', cmd: 'definitely-not-a-command-xyz', max_retry: 2, respawn_backoff_min: 0.01 }]);
    await a.start();
    assert.equal(a.getWatcher('nopath').status, 'stopped');
    assert.equal(attempts('nopath'), 2);
  });

  it('max_retry = 0 never spawns and the watcher ends stopped (Q14)', async () => {
    const a = make([{ name: 'zero', cmd: process.execPath, args: [fixture('sleeper.js'), tmp], max_retry: 0 }]);
    const events = recordEvents(a);
    await a.start();
    assert.equal(a.getWatcher('zero').status, 'stopped');
    assert.ok(!events.some((e) => e.name === 'spawn'));
    assert.ok(logger.has('INFO zero stopped'));
  });

  it('a missing working_dir and an unknown uid are failed attempts naming the watcher', async () => {
    const a = make([
      healthy(),
      { name: 'nodir', cmd: process.execPath, args: [fixture('sleeper.js'), tmp], working_dir: path.join(tmp, 'nope'), max_retry: 2 },
      { name: 'nouser', cmd: process.execPath, args: [fixture('sleeper.js'), tmp], uid: 'no-such-user-xyz', max_retry: 2 },
    ]);
    await a.start();
    assert.equal(a.getWatcher('nodir').status, 'stopped');
    assert.equal(a.getWatcher('nouser').status, 'stopped');
    assert.equal(attempts('nodir'), 2);
    assert.equal(attempts('nouser'), 2);
    assert.ok(logger.has(`error in 'nodir': [Errno 2] No such file or directory: '${path.join(tmp, 'nope')}'`));
    assert.ok(logger.has("error in 'nouser': no such user: 'no-such-user-xyz'"));
    assert.equal(a.getWatcher('healthy').status, 'active');
  });

  it('an unknown rlimit and an unterminated quote are failed attempts', async () => {
    const a = make([
      { name: 'badlimit', cmd: process.execPath, args: [fixture('sleeper.js'), tmp], rlimits: { bogus: 1 }, max_retry: 1 },
      { name: 'quote', cmd: `${process.execPath} "unterminated`, max_retry: 1 },
    ]);
    await a.start();
    assert.ok(logger.has("error in 'badlimit': unknown rlimit 'rlimit_bogus'"));
    assert.ok(logger.has("error in 'quote': No closing quotation"));
    assert.equal(a.getWatcher('badlimit').status, 'stopped');
    assert.equal(a.getWatcher('quote').status, 'stopped');
  });

  it('a child that dies at once forever keeps being replaced, paced, while others run', async () => {
    const a = make([healthy(), { name: 'crashy', cmd: process.execPath, args: [fixture('die.js'), '1', tmp] }]);
    const events = recordEvents(a);
    await a.start();
    await waitFor('several respawns', () => events.filter((e) => e.name === 'reap' && e.watcher === 'crashy').length >= 4, 8000);
    const healthyPid = a.getWatcher('healthy').pids[0];
    assert.equal(a.getWatcher('healthy').status, 'active');
    assert.deepEqual(a.getWatcher('healthy').pids, [healthyPid]);
    await a.stop();
    assert.equal(a.getWatcher('crashy').status, 'stopped');
  });

  it('a child ignoring SIGTERM is SIGKILLed at arbiter stop and the others stop normally', async () => {
    const ready = path.join(tmp, 'ready');
    const a = make([healthy(), { name: 'stubborn', cmd: process.execPath, args: [fixture('ignore-term.js'), ready], graceful_timeout: 0.3 }]);
    await a.start();
    await waitFor('handler', () => existsSync(ready));
    await a.stop();
    assert.equal(a.getWatcher('stubborn').status, 'stopped');
    assert.equal(a.getWatcher('healthy').status, 'stopped');
  });

  it('invalid watcher options skip that watcher with "Failed to create watcher"; the rest run', async () => {
    const a = make([
      healthy(),
      { name: 'single', cmd: 'x', singleton: true, numprocesses: 2 },
      { name: 'copy', cmd: 'x', copy_path: true },
      { name: 'age', cmd: 'x', max_age: '1.5' },
      { name: 'zero', cmd: process.execPath, args: [fixture('sleeper.js'), tmp], numprocesses: 0 },
    ]);
    assert.deepEqual(a.watchers.map((w) => w.name), ['healthy', 'zero']);
    assert.ok(logger.has("Failed to create watcher: watcher 'single'"));
    assert.ok(logger.has("Failed to create watcher: watcher 'copy': copy_env and copy_path must have the same value"));
    assert.ok(logger.has("Failed to create watcher: watcher 'age': max_age"));
    assert.ok(logger.has("Non-singleton watcher zero with numprocesses=0 won't start any process"));
    const events = recordEvents(a);
    await a.start();
    assert.equal(a.getWatcher('zero').status, 'stopped');
    assert.ok(events.some((e) => e.watcher === 'zero' && e.name === 'stop'));
    assert.equal(a.getWatcher('healthy').status, 'active');
  });
});
