import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Arbiter, createArbiter, defaultCircusConfig, WatcherOptions } from '../../../kernel';
import { cleanup, fixture, makeTmp, MemoryLogger, pidOf, recordEvents, waitFor } from './helpers';

describe('kernel integration: supervision life-cycle', function () {
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

  function sleeper(name: string, extra: Partial<WatcherOptions> = {}): WatcherOptions {
    return { name, cmd: process.execPath, args: [fixture('sleeper.js'), tmp, name], graceful_timeout: 1, ...extra };
  }

  function make(watchers: WatcherOptions[], extra: { check_delay?: number; warmup_delay?: number } = {}): Arbiter {
    arbiter = createArbiter({ config: defaultCircusConfig({ check_delay: -1, ...extra, watchers }), logger });
    return arbiter;
  }

  it('spawns numprocesses processes with wids 1..n and reuses the wids after all die', async () => {
    const a = make([sleeper('w', { numprocesses: 3 })]);
    const events = recordEvents(a);
    await a.start();
    const w = a.getWatcher('w');
    assert.equal(w.status, 'active');
    assert.equal(w.pids.length, 3);
    assert.deepEqual(w.processes.map((p) => p.wid).sort(), [1, 2, 3]);
    assert.equal(events.filter((e) => e.name === 'spawn').length, 3);
    const old = [...w.pids];
    for (const pid of old) process.kill(pid, 'SIGKILL');
    await waitFor('three replacements', () => w.pids.length === 3 && w.pids.every((p) => !old.includes(p)));
    assert.deepEqual(w.processes.map((p) => p.wid).sort(), [1, 2, 3]);
    const reaps = events.filter((e) => e.name === 'reap');
    assert.equal(reaps.length, 3);
    for (const r of reaps) assert.equal((r.payload as { exit_code: number }).exit_code, -9);
    assert.ok(logger.has('INFO w started'));
  });

  it('replaces a killed process at once, event-driven, with check_delay = -1 (Q15 fix)', async () => {
    const a = make([sleeper('w')]);
    const events = recordEvents(a);
    await a.start();
    const w = a.getWatcher('w');
    const [pid] = w.pids;
    await waitFor('the child to have lived a moment', () => Date.now() - w.processes[0].started * 1000 > 1100, 3000);
    process.kill(pid, 'SIGKILL');
    const spawned = await waitFor('a replacement', () => events.find((e) => e.name === 'spawn' && pidOf(e) !== pid));
    const reap = events.find((e) => e.name === 'reap');
    assert.ok(reap && pidOf(reap) === pid);
    assert.ok(spawned!.at >= reap!.at);
    assert.equal(w.pids.length, 1);
  });

  it('spreads the respawns of a process that dies at once (backoff grows)', async () => {
    const a = make([{ name: 'crash', cmd: process.execPath, args: [fixture('die.js'), '3', tmp], respawn_backoff_max: 0.4 }]);
    const events = recordEvents(a);
    await a.start();
    await waitFor('seven spawns', () => events.filter((e) => e.name === 'spawn').length >= 7, 10000);
    const spawns = events.filter((e) => e.name === 'spawn').map((e) => e.payload.time);
    const gaps = spawns.slice(1).map((t, i) => t - spawns[i]);
    // 0, 0, 0.1, 0.2, 0.4, 0.4 (capped): later gaps must be clearly longer than the first.
    assert.ok(gaps[4] >= 0.35, `gaps grow: ${gaps.map((g) => g.toFixed(3)).join(' ')}`);
    assert.ok(gaps[5] <= 1.5, `gaps are capped: ${gaps.map((g) => g.toFixed(3)).join(' ')}`);
    const reaps = events.filter((e) => e.name === 'reap');
    assert.ok(reaps.every((r) => (r.payload as { exit_code: number }).exit_code === 3));
    assert.equal(a.getWatcher('crash').status, 'active', 'a process that starts then exits is not a failed attempt');
  });

  it('recycles processes past max_age in the housekeeping pass', async () => {
    const a = make([sleeper('aged', { max_age: 1, max_age_variance: 0 })], { check_delay: 0.2 });
    const events = recordEvents(a);
    await a.start();
    const w = a.getWatcher('aged');
    const [first] = w.pids;
    await waitFor('a recycled pid', () => w.pids.length === 1 && w.pids[0] !== first, 6000);
    assert.ok(events.some((e) => e.name === 'kill' && pidOf(e) === first));
    assert.ok(!events.some((e) => e.name === 'reap' && pidOf(e) === first), 'expired processes are not reaped (Q17)');
  });

  it('starts by priority (stable) with the arbiter warmup_delay, and stops all concurrently', async () => {
    const a = make(
      [
        sleeper('b', { priority: 0 }),
        sleeper('a', { priority: 0 }),
        sleeper('high', { priority: 10 }),
        sleeper('manual', { autostart: false }),
      ],
      { warmup_delay: 0.2 },
    );
    const events = recordEvents(a);
    await a.start();
    const order = events.filter((e) => e.name === 'start').map((e) => e.watcher);
    assert.deepEqual(order, ['high', 'a', 'b']);
    const starts = events.filter((e) => e.name === 'start').map((e) => e.payload.time);
    assert.ok(starts[1] - starts[0] >= 0.19 && starts[2] - starts[1] >= 0.19, 'arbiter warmup_delay between watchers');
    assert.equal(a.getWatcher('manual').status, 'stopped');
    await a.stop();
    const stops = events.filter((e) => e.name === 'stop').map((e) => e.watcher);
    assert.deepEqual([...stops].sort(), ['a', 'b', 'high']);
    const firstStop = events.findIndex((e) => e.name === 'stop');
    const killedBeforeAnyStop = new Set(events.slice(0, firstStop).filter((e) => e.name === 'kill').map((e) => e.watcher));
    assert.deepEqual([...killedBeforeAnyStop].sort(), ['a', 'b', 'high'], 'stops run concurrently: every watcher is signalled before any finishes');
    assert.ok(logger.has('Arbiter exiting'));
    assert.equal(await a.done, 'quit');
  });

  it('respawn = false: the exited process is not replaced and the watcher stops', async () => {
    const a = make([{ name: 'once', cmd: process.execPath, args: [fixture('die.js'), '0', tmp], respawn: false }]);
    const events = recordEvents(a);
    await a.start();
    const w = a.getWatcher('once');
    await waitFor('the watcher to stop', () => w.status === 'stopped');
    assert.equal(events.filter((e) => e.name === 'spawn').length, 1);
    assert.equal(w.numprocesses, 1);
    assert.ok(events.some((e) => e.name === 'stop'));
  });

  it('incr/decr and graceful reload cycle the wids 1..n -> n+1..2n -> 1..n', async () => {
    const a = make([sleeper('w', { numprocesses: 2 })]);
    await a.start();
    const w = a.getWatcher('w');
    assert.equal(await w.incr(2), 4);
    assert.equal(w.pids.length, 4);
    assert.equal(await w.decr(2), 2);
    // The oldest processes go: wids 3 and 4 remain.
    assert.deepEqual(w.processes.map((p) => p.wid).sort(), [3, 4]);
    const before = [...w.pids];
    await a.reload();
    assert.deepEqual(w.processes.map((p) => p.wid).sort(), [1, 2]);
    assert.ok(w.pids.every((p) => !before.includes(p)));
    await a.reload();
    assert.deepEqual(w.processes.map((p) => p.wid).sort(), [3, 4]);
    assert.ok(logger.has('w reloaded'));
  });

  it('send_hup reload signals the processes and keeps them', async () => {
    const out = path.join(tmp, 'signals');
    const a = make([{ name: 'hup', cmd: process.execPath, args: [fixture('record-signal.js'), out], send_hup: true, graceful_timeout: 1 }]);
    await a.start();
    const w = a.getWatcher('hup');
    await waitFor('handlers', () => existsSync(out));
    const pids = [...w.pids];
    await a.reload();
    await waitFor('SIGHUP recorded', () => readFileSync(out, 'utf8').includes('SIGHUP'));
    assert.deepEqual(w.pids, pids);
  });

  it('adds and removes watchers at runtime with add/remove events', async () => {
    const a = make([sleeper('first')]);
    const events = recordEvents(a);
    await a.start();
    const w = await a.addWatcher(sleeper('second'), { start: true });
    assert.equal(w.pids.length, 1);
    await assert.rejects(a.addWatcher(sleeper('SECOND')), /already exists/);
    await a.removeWatcher('second');
    assert.equal(a.find('second'), undefined);
    assert.deepEqual(events.filter((e) => e.name === 'add' || e.name === 'remove').map((e) => `${e.name}:${e.watcher}`), ['add:second', 'remove:second']);
  });

  it('a second exclusive operation fails fast; requestStop waits for it (Q38 fix)', async () => {
    const a = make([sleeper('w')]);
    await a.start();
    let release!: () => void;
    const busy = a.exclusive('slow', () => new Promise<void>((r) => (release = r)));
    await assert.rejects(a.reload(), /arbiter is already running slow command/);
    a.requestStop();
    assert.equal(a.getWatcher('w').status, 'active', 'the quit waits for the running operation');
    release();
    await busy;
    assert.equal(await a.done, 'quit');
    assert.equal(a.getWatcher('w').status, 'stopped');
  });
});
