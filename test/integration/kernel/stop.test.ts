import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Arbiter, createArbiter, defaultCircusConfig, WatcherOptions } from '../../../kernel';
import { alive, cleanup, pidOf, fixture, makeTmp, MemoryLogger, readJson, recordEvents, waitFor } from './helpers';

interface Tree {
  pid: number;
  child: number;
  grandchild: number | null;
}

describe('kernel integration: graceful stop and the no-orphan guarantee', function () {
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

  function make(watchers: WatcherOptions[]): Arbiter {
    arbiter = createArbiter({ config: defaultCircusConfig({ check_delay: -1, watchers }), logger });
    return arbiter;
  }

  it('a process that exits on the stop signal gives one kill, a reap with its exit status, and stop', async () => {
    const out = path.join(tmp, 'signals');
    const a = make([{ name: 'polite', cmd: process.execPath, args: [fixture('record-signal.js'), out], graceful_timeout: 5 }]);
    const events = recordEvents(a);
    await a.start();
    await waitFor('handlers', () => existsSync(out));
    const [pid] = a.getWatcher('polite').pids;
    await a.getWatcher('polite').stop();
    assert.deepEqual(readFileSync(out, 'utf8').trim().split('\n'), ['ready', 'SIGTERM']);
    assert.deepEqual(events.map((e) => e.name), ['spawn', 'start', 'kill', 'reap', 'stop']);
    assert.equal(pidOf(events[3]), pid);
    // record-signal exits 0 from its handler, so the status is a normal exit.
    assert.equal((events[3].payload as { exit_code: number }).exit_code, 0);
    assert.ok(logger.has('INFO polite stopped'));
  });

  it('stop_signal is configurable', async () => {
    const out = path.join(tmp, 'signals');
    const a = make([{ name: 'w', cmd: process.execPath, args: [fixture('record-signal.js'), out], stop_signal: 10, graceful_timeout: 5 }]);
    await a.start();
    await waitFor('handlers', () => existsSync(out));
    await a.getWatcher('w').stop();
    assert.ok(readFileSync(out, 'utf8').includes('SIGUSR1'));
  });

  it('a process ignoring SIGTERM is killed after graceful_timeout: kill, kill, reap -9, stop', async () => {
    const ready = path.join(tmp, 'ready');
    const a = make([{ name: 'stubborn', cmd: process.execPath, args: [fixture('ignore-term.js'), ready], graceful_timeout: 0.5 }]);
    const events = recordEvents(a);
    await a.start();
    await waitFor('handler', () => existsSync(ready));
    const [pid] = a.getWatcher('stubborn').pids;
    const t0 = Date.now();
    await a.getWatcher('stubborn').stop();
    assert.ok(Date.now() - t0 >= 450, 'SIGKILL only after the grace period');
    const names = events.map((e) => e.name);
    assert.deepEqual(names, ['spawn', 'start', 'kill', 'kill', 'reap', 'stop']);
    assert.equal(pidOf(events[2]), pid);
    assert.equal(pidOf(events[3]), pid);
    assert.equal((events[4].payload as { exit_code: number }).exit_code, -9);
    assert.ok(!alive(pid));
  });

  it('stop_children signals the children; the SIGKILL escalation reaches every descendant (Q16 fix)', async () => {
    const out = path.join(tmp, 'tree.json');
    const a = make([{ name: 'tree', cmd: process.execPath, args: [fixture('forker.js'), out, 'ignore'], stop_children: true, graceful_timeout: 0.5 }]);
    const events = recordEvents(a);
    await a.start();
    const tree = await waitFor('the tree', () => existsSync(out) && readJson<Tree>(out));
    await a.getWatcher('tree').stop();
    const kills = events.filter((e) => e.name === 'kill').map((e) => pidOf(e));
    assert.equal(kills[0], tree.pid, 'the worker first');
    assert.equal(kills.filter((p) => p === tree.child).length, 2, 'the child: stop signal, then SIGKILL after the grace period');
    assert.ok(kills.includes(tree.grandchild as number), 'the grandchild is SIGKILLed too');
    assert.ok(!alive(tree.pid) && !alive(tree.child) && !alive(tree.grandchild as number), 'no descendant alive once stop resolves');
  });

  it('a child that exits in time with stop_children = false leaves its descendants alone (as Circus)', async () => {
    const out = path.join(tmp, 'tree.json');
    const a = make([{ name: 'tree', cmd: process.execPath, args: [fixture('forker.js'), out, 'plain'], graceful_timeout: 2 }]);
    await a.start();
    const tree = await waitFor('the tree', () => existsSync(out) && readJson<Tree>(out));
    await a.getWatcher('tree').stop();
    assert.ok(!alive(tree.pid));
    assert.ok(alive(tree.child), 'an explicit watcher stop does not hunt descendants');
    process.kill(tree.child, 'SIGKILL');
    await waitFor('the orphan to be gone', () => !alive(tree.child));
  });

  it('arbiter stop leaves no descendant alive, even of a parent that exited in time', async () => {
    const out = path.join(tmp, 'tree.json');
    const stubborn = path.join(tmp, 'stubborn.json');
    const a = make([
      { name: 'plain', cmd: process.execPath, args: [fixture('forker.js'), out, 'plain'], graceful_timeout: 2 },
      { name: 'deep', cmd: process.execPath, args: [fixture('forker.js'), stubborn, 'ignore'], graceful_timeout: 0.5 },
    ]);
    await a.start();
    const t1 = await waitFor('tree 1', () => existsSync(out) && readJson<Tree>(out));
    const t2 = await waitFor('tree 2', () => existsSync(stubborn) && readJson<Tree>(stubborn));
    await a.stop();
    for (const pid of [t1.pid, t1.child, t2.pid, t2.child, t2.grandchild as number]) {
      await waitFor(`pid ${pid} gone`, () => !alive(pid), 3000);
    }
    assert.ok(logger.has('Arbiter exiting'));
  });

  it('graceful_timeout = 0 sends SIGKILL at once', async () => {
    const ready = path.join(tmp, 'ready');
    const a = make([{ name: 'now', cmd: process.execPath, args: [fixture('ignore-term.js'), ready], graceful_timeout: 0 }]);
    const events = recordEvents(a);
    await a.start();
    await waitFor('handler', () => existsSync(ready));
    await a.getWatcher('now').stop();
    assert.deepEqual(events.map((e) => e.name), ['spawn', 'start', 'kill', 'kill', 'reap', 'stop']);
  });
});
