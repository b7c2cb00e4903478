import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AnyCircusEvent, Arbiter, createArbiter, defaultCircusConfig, HookContext, WatcherOptions } from '../../../kernel';
import { alive, cleanup, fixture, makeTmp, MemoryLogger, pidOf, processesWith, repoRoot, waitFor } from './helpers';

/** What test/fixtures/hooks/recorder.js exports (the instance the kernel loads). */
interface Recorder {
  calls: { hook: string; watcher: string; status: string; pids: number[]; arbiterWatchers: string[] | null; args: Record<string, unknown> }[];
  plan: Record<string, unknown>;
  reset(): void;
}

const RECORDER = path.join(repoRoot(), 'test/fixtures/hooks/recorder.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rec = require(RECORDER) as Recorder;
const ALL_HOOKS = [
  'before_start', 'after_start', 'before_spawn', 'after_spawn', 'before_stop', 'after_stop',
  'before_signal', 'after_signal', 'before_reap', 'after_reap',
] as const;

/** `hooks` option sending the named hooks to the recorder; `flag` = ignore_failure. */
function recorded(names: readonly string[], flag = false): Record<string, readonly [string, boolean]> {
  return Object.fromEntries(names.map((n) => [n, [`${RECORDER}:record`, flag] as const]));
}

describe('kernel integration: watcher hooks with real processes', function () {
  this.timeout(30000);
  let tmp: string;
  let arbiter: Arbiter | null;
  let logger: MemoryLogger;
  /** Hook calls and bus events (hook events left out) in the order they happened. */
  let timeline: string[];
  let events: AnyCircusEvent[];

  beforeEach(() => {
    tmp = makeTmp();
    arbiter = null;
    logger = new MemoryLogger();
    rec.reset();
    timeline = [];
    events = [];
  });

  afterEach(async () => {
    rec.reset();
    const left = await cleanup(arbiter, tmp);
    assert.deepEqual(left, [], 'no fixture process may outlive the test');
  });

  function sleeper(name: string, extra: Partial<WatcherOptions> = {}): WatcherOptions {
    return { name, cmd: process.execPath, args: [fixture('sleeper.js'), tmp, name], graceful_timeout: 1, ...extra };
  }

  function make(watchers: WatcherOptions[]): Arbiter {
    arbiter = createArbiter({ config: defaultCircusConfig({ check_delay: -1, watchers }), logger });
    arbiter.bus.onAny((e) => {
      events.push(e);
      if (e.name !== 'hook_success' && e.name !== 'hook_failure') timeline.push(`event:${e.name}`);
    });
    return arbiter;
  }

  /** Makes every hook of `names` log itself to the timeline, then answer `answer`. */
  function trace(names: readonly string[], answer: (ctx: HookContext) => unknown = () => true): void {
    for (const n of names) {
      rec.plan[n] = (ctx: HookContext) => {
        timeline.push(`hook:${n}`);
        return answer(ctx);
      };
    }
  }

  function callsOf(hook: string): Recorder['calls'] {
    return rec.calls.filter((c) => c.hook === hook);
  }

  it('calls every hook in Circus order with its arguments through start and stop', async () => {
    trace(ALL_HOOKS);
    const a = make([sleeper('web', { hooks: recorded(ALL_HOOKS) })]);
    await a.start();
    const w = a.getWatcher('web');
    assert.equal(w.status, 'active');
    const [pid] = w.pids;
    await w.stop();
    assert.deepEqual(timeline, [
      'hook:before_start', 'hook:before_spawn', 'hook:after_spawn', 'event:spawn', 'hook:after_start', 'event:start',
      'hook:before_stop', 'hook:before_signal', 'hook:after_signal', 'event:kill',
      'hook:before_reap', 'event:reap', 'hook:after_reap', 'event:stop', 'hook:after_stop',
    ]);
    const reap = events.find((e) => e.name === 'reap')!.payload as { time: number };
    assert.deepEqual(callsOf('after_spawn')[0].args, { hook_name: 'after_spawn', pid });
    assert.deepEqual(callsOf('before_signal')[0].args, { hook_name: 'before_signal', pid, signum: 15 });
    assert.deepEqual(callsOf('after_signal')[0].args, { hook_name: 'after_signal', pid, signum: 15 });
    assert.deepEqual(callsOf('before_reap')[0].args, { hook_name: 'before_reap', process_pid: pid, time: reap.time });
    assert.deepEqual(callsOf('after_reap')[0].args, {
      hook_name: 'after_reap', process_pid: pid, time: reap.time, exit_code: -15, process_status: null,
    });
    for (const n of ['before_start', 'after_start', 'before_spawn', 'before_stop', 'after_stop']) {
      assert.deepEqual(callsOf(n)[0].args, { hook_name: n }, n);
    }
    for (const c of rec.calls) {
      assert.equal(c.watcher, 'web');
      assert.deepEqual(c.arbiterWatchers, ['web']);
    }
    assert.equal(callsOf('after_start')[0].status, 'starting');
    assert.deepEqual(callsOf('after_start')[0].pids, [pid]);
    assert.equal(callsOf('after_stop')[0].status, 'stopped');
    const successes = events.filter((e) => e.name === 'hook_success').map((e) => (e.payload as { name: string }).name);
    assert.deepEqual(successes.sort(), [...ALL_HOOKS].sort());
  });

  it('the watcher a hook receives is a read-only facade with the live env', async () => {
    let seen: HookContext | null = null;
    rec.plan.before_start = (ctx: HookContext) => ((seen = ctx), true);
    const a = make([sleeper('web', { hooks: recorded(['before_start']), env: { COLOUR: 'blue' } })]);
    await a.start();
    const ctx = seen as unknown as HookContext;
    assert.equal(ctx.watcher.env.COLOUR, 'blue');
    assert.equal((ctx.watcher as unknown as { stop?: unknown }).stop, undefined);
    assert.equal((ctx.arbiter as unknown as { stop?: unknown }).stop, undefined);
    assert.ok(Object.isFrozen(ctx.watcher) && Object.isFrozen(ctx.arbiter));
    assert.equal(ctx.arbiter?.find('WEB')?.status, 'active', 'facades read through to the live watcher');
  });

  it('after_reap of a process that died by itself: its exit code and process_status 2', async () => {
    const a = make([sleeper('web', { hooks: recorded(['before_reap', 'after_reap']) })]);
    await a.start();
    const [pid] = a.getWatcher('web').pids;
    process.kill(pid, 'SIGKILL');
    await waitFor('after_reap', () => callsOf('after_reap').length === 1);
    const args = callsOf('after_reap')[0].args;
    assert.equal(args.process_pid, pid);
    assert.equal(args.exit_code, -9);
    assert.equal(args.process_status, 2);
    assert.equal(callsOf('before_reap')[0].args.process_pid, pid);
  });

  for (const [label, answer] of [['returns nothing (Q20)', undefined], ['returns false', false], ['throws', 'throw'], ['rejects', 'reject']] as const) {
    it(`before_start that ${label}: the watcher stays stopped and nothing is spawned`, async () => {
      rec.plan.before_start = answer;
      const a = make([sleeper('web', { hooks: recorded(['before_start', 'before_spawn']) })]);
      await a.start();
      const w = a.getWatcher('web');
      assert.equal(w.status, 'stopped');
      assert.deepEqual(w.pids, []);
      assert.deepEqual(processesWith(tmp), []);
      assert.equal(callsOf('before_spawn').length, 0);
      assert.ok(!events.some((e) => e.name === 'spawn' || e.name === 'start'));
      assert.ok(logger.has('Aborting startup of web'));
    });
  }

  it('a failing before_start flagged `, true` lets the start go on; hook_failure carries the error', async () => {
    rec.plan.before_start = 'throw';
    const a = make([sleeper('web', { hooks: recorded(['before_start'], true) })]);
    await a.start();
    assert.equal(a.getWatcher('web').status, 'active');
    const failure = events.find((e) => e.name === 'hook_failure');
    assert.ok(failure);
    assert.equal(failure.watcher, 'web');
    assert.equal((failure.payload as { name: string }).name, 'before_start');
    assert.equal((failure.payload as { error: string }).error, 'planned failure of before_start');
    assert.ok(logger.has("Hook 'before_start' failed"));
  });

  it('after_start false: the watcher is fully stopped and its processes killed', async () => {
    rec.plan.after_start = false;
    const a = make([sleeper('web', { numprocesses: 2, hooks: recorded(['after_start']) })]);
    await a.start();
    const w = a.getWatcher('web');
    assert.equal(w.status, 'stopped');
    assert.deepEqual(processesWith(tmp), []);
    const names = events.map((e) => e.name);
    assert.equal(names.filter((n) => n === 'spawn').length, 2);
    assert.equal(names.filter((n) => n === 'reap').length, 2);
    assert.ok(names.includes('stop') && !names.includes('start'));
    assert.equal(events.find((e) => e.name === 'hook_success')?.payload.name, 'after_start', 'a false answer is still a success');
  });

  it('before_spawn false: no process, the watcher is stopped', async () => {
    rec.plan.before_spawn = false;
    const a = make([sleeper('web', { hooks: recorded(['before_spawn', 'after_spawn']) })]);
    await a.start();
    assert.equal(a.getWatcher('web').status, 'stopped');
    assert.equal(callsOf('before_spawn').length, 1);
    assert.equal(callsOf('after_spawn').length, 0);
    assert.ok(!events.some((e) => e.name === 'spawn'));
    assert.deepEqual(processesWith(tmp), []);
  });

  it('before_spawn can set an env variable that $(circus.env.*) in the command line then sees', async () => {
    let n = 0;
    rec.plan.before_spawn = (ctx: HookContext) => {
      n += 1;
      ctx.watcher.env.TAG = `spawn${n}`;
      return true;
    };
    const out = path.join(tmp, 'report-$(circus.env.TAG).json');
    const a = make([
      { name: 'rep', cmd: process.execPath, args: [fixture('report.js'), out], graceful_timeout: 1, hooks: recorded(['before_spawn']) },
    ]);
    await a.start();
    const file = path.join(tmp, 'report-spawn1.json');
    await waitFor('the report of the first child', () => existsSync(file));
    const report = JSON.parse(readFileSync(file, 'utf8')) as { env: Record<string, string> };
    assert.equal(report.env.TAG, 'spawn1');
  });

  it('after_spawn false: that process is killed and dropped without a reap, and the watcher stops', async () => {
    rec.plan.after_spawn = false;
    const a = make([sleeper('web', { hooks: recorded(['after_spawn', 'before_signal']) })]);
    await a.start();
    const w = a.getWatcher('web');
    assert.equal(w.status, 'stopped');
    const pid = callsOf('after_spawn')[0].args.pid as number;
    assert.equal(alive(pid), false);
    assert.deepEqual(w.pids, []);
    assert.deepEqual(callsOf('before_signal')[0].args, { hook_name: 'before_signal', pid, signum: 15 });
    assert.ok(!events.some((e) => e.name === 'spawn'), 'no spawn event for a refused process');
    assert.ok(!events.some((e) => e.name === 'reap' && pidOf(e) === pid), 'dropped, not reaped');
    assert.ok(events.some((e) => e.name === 'kill' && pidOf(e) === pid));
    assert.deepEqual(processesWith(tmp), []);
  });

  it('before_signal false blocks SIGTERM; SIGKILL follows graceful_timeout; after_signal sees both', async () => {
    rec.plan.before_signal = false;
    const out = path.join(tmp, 'signals.txt');
    const a = make([
      {
        name: 'sig', cmd: process.execPath, args: [fixture('record-signal.js'), out], graceful_timeout: 0.5,
        hooks: recorded(['before_signal', 'after_signal']),
      },
    ]);
    await a.start();
    await waitFor('the handlers', () => existsSync(out) && readFileSync(out, 'utf8').includes('ready'));
    const [pid] = a.getWatcher('sig').pids;
    await a.getWatcher('sig').stop();
    assert.equal(readFileSync(out, 'utf8'), 'ready\n', 'SIGTERM never reached the process');
    assert.deepEqual(callsOf('before_signal').map((c) => c.args.signum), [15, 9]);
    assert.deepEqual(callsOf('after_signal').map((c) => [c.args.pid, c.args.signum]), [[pid, 15], [pid, 9]]);
    const mine = events.filter((e) => pidOf(e) === pid).map((e) => e.name);
    assert.deepEqual(mine, ['spawn', 'kill', 'kill', 'reap']);
    assert.equal((events.find((e) => e.name === 'reap')!.payload as { exit_code: number }).exit_code, -9);
  });

  it('signalProcess (the signal command path) goes through before_signal/after_signal', async () => {
    const out = path.join(tmp, 'signals.txt');
    const a = make([
      { name: 'sig', cmd: process.execPath, args: [fixture('record-signal.js'), out], graceful_timeout: 1, hooks: recorded(['before_signal', 'after_signal']) },
    ]);
    await a.start();
    await waitFor('the handlers', () => existsSync(out) && readFileSync(out, 'utf8').includes('ready'));
    const w = a.getWatcher('sig');
    const [pid] = w.pids;
    rec.plan.before_signal = false;
    assert.equal(await w.signalProcess(pid, 1), false);
    rec.plan.before_signal = true;
    assert.equal(await w.signalProcess(pid, 1), true);
    await waitFor('SIGHUP recorded', () => readFileSync(out, 'utf8').includes('SIGHUP'));
    assert.equal(readFileSync(out, 'utf8'), 'ready\nSIGHUP\n', 'only the allowed SIGHUP arrived');
    assert.deepEqual(callsOf('after_signal').map((c) => [c.args.pid, c.args.signum]), [[pid, 1], [pid, 1]]);
    await assert.rejects(w.signalProcess(1, 1), /process '1' not found/);
  });

  it('a raising before_signal lets the signal through (default ignore-failure set)', async () => {
    rec.plan.before_signal = 'throw';
    const a = make([sleeper('web', { hooks: recorded(['before_signal']) })]);
    await a.start();
    await a.getWatcher('web').stop();
    const reap = events.find((e) => e.name === 'reap')!.payload as { exit_code: number };
    assert.equal(reap.exit_code, -15);
    assert.ok(events.some((e) => e.name === 'hook_failure' && e.payload.name === 'before_signal'));
  });

  it('a raising before_stop/after_stop does not stop the stop', async () => {
    rec.plan.before_stop = 'throw';
    rec.plan.after_stop = 'reject';
    const a = make([sleeper('web', { hooks: recorded(['before_stop', 'after_stop']) })]);
    await a.start();
    await a.getWatcher('web').stop();
    assert.equal(a.getWatcher('web').status, 'stopped');
    assert.deepEqual(processesWith(tmp), []);
    assert.deepEqual(events.filter((e) => e.name === 'hook_failure').map((e) => e.payload.name), ['before_stop', 'after_stop']);
  });

  it('async hooks are awaited', async () => {
    rec.plan.before_start = 'async:true';
    rec.plan.after_start = 'async:0';
    const a = make([sleeper('web', { hooks: recorded(['before_start', 'after_start']) })]);
    await a.start();
    assert.equal(a.getWatcher('web').status, 'stopped', 'the resolved 0 of after_start counted as false');
    assert.equal(callsOf('after_start').length, 1);
  });

  it('extended_stats: the watcher lets the hook enrich one process stats map; its error reaches the caller', async () => {
    rec.plan.extended_stats = (ctx: HookContext) => {
      ctx.stats!.queue_length = 3;
      return undefined;
    };
    const a = make([sleeper('web', { hooks: recorded(['extended_stats']) })]);
    await a.start();
    const w = a.getWatcher('web');
    const [pid] = w.pids;
    const stats: Record<string, unknown> = { pid };
    await w.extendedStats(pid, stats);
    assert.deepEqual(stats, { pid, queue_length: 3 });
    assert.deepEqual(callsOf('extended_stats')[0].args, { hook_name: 'extended_stats', pid, stats });
    rec.plan.extended_stats = 'throw';
    await assert.rejects(w.extendedStats(pid, {}), /planned failure of extended_stats/);
    assert.ok(!events.some((e) => e.name === 'hook_success' || e.name === 'hook_failure'));
  });

  it('hooks given as functions when embedding', async () => {
    const seen: string[] = [];
    const a = make([
      sleeper('web', {
        hooks: {
          before_start: (ctx: HookContext) => (seen.push(`${ctx.hook_name}:${ctx.watcher.name}`), true),
          after_start: [() => {
            throw new Error('ignored');
          }, true],
        },
      }),
    ]);
    await a.start();
    assert.equal(a.getWatcher('web').status, 'active');
    assert.deepEqual(seen, ['before_start:web']);
  });
});
