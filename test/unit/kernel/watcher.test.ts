import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import { container } from 'tsyringe';
import {
  AnyCircusEvent,
  Arbiter,
  Clock,
  createArbiter,
  defaultCircusConfig,
  HostEnvironment,
  ProcessTree,
  Random,
  Spawner,
  WatcherOptions,
} from '../../../kernel';
import { EmptyTree, FakeClock, FakeSpawner, settle } from './fakes';

class ScriptedRandom implements Random {
  readonly calls: [number, number][] = [];
  constructor(private readonly value: number) {}
  int(min: number, max: number): number {
    this.calls.push([min, max]);
    return Math.min(max, Math.max(min, this.value));
  }
}

describe('kernel/watcher with a fake spawner and clock', () => {
  let clock: FakeClock;
  let spawner: FakeSpawner;
  let random: ScriptedRandom;
  let events: AnyCircusEvent[];

  function make(watchers: WatcherOptions[], check_delay = -1): Arbiter {
    const parent = container.createChildContainer();
    parent.register(Clock, { useValue: clock });
    parent.register(Spawner, { useValue: spawner });
    parent.register(ProcessTree, { useValue: new EmptyTree() });
    parent.register(Random, { useValue: random });
    parent.register(HostEnvironment, { useValue: { env: {}, cwd: () => '/' } });
    const a = createArbiter({ config: defaultCircusConfig({ check_delay, watchers }), container: parent });
    a.bus.onAny((e) => events.push(e));
    return a;
  }

  beforeEach(() => {
    clock = new FakeClock();
    spawner = new FakeSpawner();
    random = new ScriptedRandom(0);
    events = [];
  });

  it('max_age: a process expires only past max_age + R, R drawn in [0, variance] per process per pass', async () => {
    random = new ScriptedRandom(5);
    const a = make([{ name: 'w', cmd: 'prog', max_age: 10, max_age_variance: 7 }]);
    await a.start();
    const w = a.getWatcher('w');
    const first = w.pids[0];
    await clock.advance(14.5);
    await w.manageProcesses();
    assert.deepEqual(w.pids, [first], 'age 14.5 <= 10 + 5');
    assert.deepEqual(random.calls.at(-1), [0, 7]);
    await clock.advance(1);
    await w.manageProcesses();
    assert.equal(w.pids.length, 1);
    assert.notEqual(w.pids[0], first, 'age 15.5 > 15: recycled and replaced in the same pass');
    assert.ok(!events.some((e) => e.name === 'reap'), 'no reap for an expired process (Q17)');
    await a.stop();
  });

  it('crash loop: replacements wait for the policy, and the housekeeping pass does not bypass it', async () => {
    const a = make([{ name: 'w', cmd: 'prog' }]);
    await a.start();
    const w = a.getWatcher('w');
    const exitLatest = async (): Promise<void> => {
      spawner.children.at(-1)!.exit(1);
      await settle();
    };
    await exitLatest();
    assert.equal(spawner.children.length, 2, 'first young death: replaced at once');
    await exitLatest();
    assert.equal(spawner.children.length, 2, 'second young death: waits');
    assert.deepEqual(clock.pending, [0.1]);
    await w.manageProcesses();
    assert.equal(spawner.children.length, 2, 'the pass respects the pending backoff');
    await clock.advance(0.1);
    assert.equal(spawner.children.length, 3);
    await exitLatest();
    assert.deepEqual(clock.pending, [0.2]);
    await a.stop();
    assert.deepEqual(clock.pending, [], 'stop cancels the backoff wait');
    assert.equal(w.status, 'stopped');
  });

  it('max_retry counts failed attempts, paced by the policy, then stops the watcher', async () => {
    spawner.failWith = '[Errno 2] No such file or directory';
    const a = make([{ name: 'w', cmd: 'prog', max_retry: 4 }]);
    const started = a.start();
    await settle();
    assert.deepEqual(clock.pending, [0.1]);
    await clock.advance(0.1);
    assert.deepEqual(clock.pending, [0.2]);
    await clock.advance(0.2);
    await started;
    assert.equal(a.getWatcher('w').status, 'stopped');
    assert.deepEqual(events.map((e) => e.name), ['stop']);
  });

  it('numprocesses, warmup_delay between spawns, and start/stop events', async () => {
    const a = make([{ name: 'w', cmd: 'prog', numprocesses: 3, warmup_delay: 2 }]);
    const started = a.start();
    await settle();
    assert.equal(spawner.children.length, 1);
    await clock.advance(2);
    assert.equal(spawner.children.length, 2);
    await clock.advance(2);
    await clock.advance(2);
    await started;
    assert.deepEqual(events.map((e) => e.name), ['spawn', 'spawn', 'spawn', 'start']);
    assert.deepEqual(spawner.children.map((c) => c.spec.argv[0]), ['prog', 'prog', 'prog']);
    await a.stop();
    assert.deepEqual(events.slice(4).map((e) => e.name), ['kill', 'kill', 'kill', 'reap', 'reap', 'reap', 'stop']);
    assert.ok(events.filter((e) => e.name === 'reap').every((e) => (e.payload as { exit_code: number }).exit_code === -15));
  });

  it('set() returns the action of spec 2.16 and publishes updated', async () => {
    const a = make([{ name: 'w', cmd: 'prog', numprocesses: 1 }]);
    await a.start();
    const w = a.getWatcher('w');
    assert.equal(await w.set({ graceful_timeout: 3 }), 'none');
    assert.equal(await w.set({ 'flapping.attempts': '3' }), 'none');
    assert.equal(await w.set({ numprocesses: 2 }), 'manage');
    assert.equal(w.pids.length, 2);
    const before = [...w.pids];
    assert.equal(await w.set({ cmd: 'other' }), 'reload');
    assert.ok(w.pids.every((p) => !before.includes(p)), 'a reload replaced the processes');
    assert.equal(spawner.children.at(-1)!.spec.argv[0], 'other');
    assert.equal(events.filter((e) => e.name === 'updated').length, 4);
    await assert.rejects(w.set({ max_age: 'abc' }), /invalid literal/);
    await a.stop();
  });

  it('a singleton refuses to grow; decr never goes below 0', async () => {
    const a = make([{ name: 's', cmd: 'prog', singleton: true }]);
    await a.start();
    const w = a.getWatcher('s');
    await assert.rejects(w.incr(), /singleton/);
    assert.equal(await w.decr(100), 0);
    assert.equal(await w.decr(100), 0);
    assert.equal(await w.incr(1), 1);
    await a.stop();
  });

  it('the housekeeping pass runs every check_delay, never overlapping, and stops with the arbiter', async () => {
    const a = make([{ name: 'w', cmd: 'prog', max_age: 5, max_age_variance: 0 }], 2);
    await a.start();
    assert.deepEqual(clock.pending, [2]);
    await clock.advance(2);
    assert.deepEqual(clock.pending, [2], 'one timer at a time');
    await clock.advance(4);
    assert.equal(spawner.children.length, 2, 'the pass recycled the process aged 6 > 5');
    await a.stop();
    assert.deepEqual(clock.pending, [], 'every timer cleared on stop');
  });

  it('check_delay <= 0 disables the pass', async () => {
    const a = make([{ name: 'w', cmd: 'prog' }], 0);
    await a.start();
    assert.deepEqual(clock.pending, []);
    await a.stop();
  });

  it('a process exiting while the watcher is stopped is not replaced', async () => {
    const a = make([{ name: 'w', cmd: 'prog' }]);
    await a.start();
    const w = a.getWatcher('w');
    await w.stop();
    await w.manageProcesses();
    assert.equal(spawner.children.length, 1);
    await a.stop();
  });

  it('every wait is cancellable: a later aborted stop cuts the grace period of a stop in flight', async () => {
    spawner.dieOn = new Set([9]);
    const a = make([{ name: 'w', cmd: 'prog', graceful_timeout: 30 }]);
    await a.start();
    const w = a.getWatcher('w');
    const first = w.stop();
    await settle();
    assert.deepEqual(clock.pending, [30], 'waiting for the exit, at most graceful_timeout');
    const cut = new AbortController();
    cut.abort();
    await Promise.all([first, w.stop({ signal: cut.signal })]);
    assert.deepEqual(spawner.children[0].signals, [15, 9]);
    assert.deepEqual(clock.pending, []);
    assert.deepEqual(events.filter((e) => e.name === 'kill').length, 2);
    await a.stop();
  });

  it('requestRestart stops everything and settles done with "restart"', async () => {
    const a = make([{ name: 'w', cmd: 'prog' }]);
    await a.start();
    await a.requestRestart();
    assert.equal(await a.done, 'restart');
    assert.equal(a.getWatcher('w').status, 'stopped');
    await a.start();
    assert.equal(a.getWatcher('w').status, 'stopped', 'a stopped arbiter does not start again');
  });

  it('a stop requested during start-all cuts the warmup short and wins', async () => {
    const a = make([{ name: 'w', cmd: 'prog', numprocesses: 3, warmup_delay: 10 }]);
    const started = a.start();
    await settle();
    assert.equal(spawner.children.length, 1);
    a.requestStop();
    await started;
    assert.equal(await a.done, 'quit');
    assert.equal(spawner.children.length, 1, 'no further spawn after the quit');
    assert.equal(a.getWatcher('w').status, 'stopped');
    assert.deepEqual(clock.pending, []);
  });
});
