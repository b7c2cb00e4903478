import { strict as assert } from 'node:assert';
import 'reflect-metadata';
import { container } from 'tsyringe';
import {
  AnyCircusEvent,
  CircusHookRunner,
  Clock,
  EventBus,
  HookArbiterView,
  HookContext,
  HookFunction,
  HookName,
  ResolvedHook,
  SystemClock,
} from '../../../../kernel';
import { fakeWatcherView, MemoryLogger } from './helpers';

class FixedClock extends SystemClock implements Clock {
  override now(): number {
    return 1234.5;
  }
}

function hook(name: string, fn: HookFunction, ignoreFailure = false): ResolvedHook {
  return { name, spec: `<function ${name}>`, ignoreFailure, load: () => Promise.resolve(fn) };
}

describe('kernel/hooks/circus-hook-runner', () => {
  let logger: MemoryLogger;
  let events: AnyCircusEvent[];
  let runner: CircusHookRunner;
  const arbiterView = { watchers: [], find: () => undefined, stopping: false, config: {} } as unknown as HookArbiterView;

  beforeEach(() => {
    logger = new MemoryLogger();
    const bus = new EventBus(logger);
    events = [];
    bus.onAny((e) => events.push(e));
    const c = container.createChildContainer();
    c.register(HookArbiterView, { useValue: arbiterView });
    runner = new CircusHookRunner(bus, logger, new FixedClock(), c);
  });

  function run(name: HookName, fn: HookFunction | undefined, args: Record<string, unknown> = {}, ignore = false): Promise<boolean> {
    return runner.run({ watcher: fakeWatcherView('web'), hook: name, target: fn && hook(name, fn, ignore), args });
  }

  it('an unconfigured hook lets the operation go on and publishes nothing', async () => {
    assert.equal(await run('before_start', undefined), true);
    assert.deepEqual(events, []);
  });

  it('passes { watcher, arbiter, hook_name, ...extras } as the single argument', async () => {
    let seen: HookContext | null = null;
    await run('after_reap', (ctx) => ((seen = ctx), true), { process_pid: 7, time: 1.5, exit_code: -15, process_status: null });
    assert.ok(seen);
    const ctx = seen as HookContext;
    assert.equal(ctx.watcher.name, 'web');
    assert.equal(ctx.arbiter, arbiterView);
    assert.equal(ctx.hook_name, 'after_reap');
    assert.deepEqual(
      { process_pid: ctx.process_pid, time: ctx.time, exit_code: ctx.exit_code, process_status: ctx.process_status },
      { process_pid: 7, time: 1.5, exit_code: -15, process_status: null },
    );
  });

  it('reads the result with Python truthiness: returning nothing is false (Q20)', async () => {
    const cases: [unknown, boolean][] = [
      [undefined, false],
      [null, false],
      [0, false],
      ['', false],
      [[], false],
      [{}, false],
      [true, true],
      [1, true],
      ['yes', true],
      [[0], true],
      [new Date(0), true],
    ];
    for (const [value, expected] of cases) assert.equal(await run('before_start', () => value), expected, String(value));
  });

  it('awaits a promise and uses what it resolves to', async () => {
    assert.equal(await run('before_spawn', () => new Promise((r) => setImmediate(() => r(false)))), false);
    assert.equal(await run('before_spawn', () => Promise.resolve('ok')), true);
  });

  it('publishes hook_success even when the hook returned false', async () => {
    await run('after_start', () => false);
    assert.deepEqual(events, [{ name: 'hook_success', watcher: 'web', payload: { name: 'after_start', time: 1234.5 } }]);
  });

  it('a throw is logged as "Hook \'<name>\' failed", publishes hook_failure with the message, and counts as false', async () => {
    const ok = await run('before_start', () => {
      throw new Error('redis is down');
    });
    assert.equal(ok, false);
    assert.deepEqual(events, [{ name: 'hook_failure', watcher: 'web', payload: { name: 'before_start', time: 1234.5, error: 'redis is down' } }]);
    const line = logger.lines.find((l) => l.startsWith("ERROR Hook 'before_start' failed"));
    assert.ok(line, logger.lines.join('\n'));
    assert.match(line, /watcher 'web'/);
    assert.match(line, /redis is down/);
  });

  it('a rejection is a failure too; a thrown non-Error gives its string', async () => {
    assert.equal(await run('before_spawn', () => Promise.reject(new Error('nope'))), false);
    assert.equal(await run('before_spawn', () => Promise.reject('plain text')), false);
    assert.deepEqual(
      events.map((e) => (e.payload as { error?: string }).error),
      ['nope', 'plain text'],
    );
  });

  it('a failing hook in the ignore-failure set lets the operation go on', async () => {
    const boom = (): never => {
      throw new Error('boom');
    };
    assert.equal(await run('before_start', boom, {}, true), true);
    assert.equal(events[0].name, 'hook_failure');
  });

  it('a hook that cannot be loaded (ES module import failing) is a failure', async () => {
    const broken: ResolvedHook = { name: 'before_start', spec: './x.mjs:f', ignoreFailure: false, load: () => Promise.reject(new Error('import failed')) };
    assert.equal(await runner.run({ watcher: fakeWatcherView(), hook: 'before_start', target: broken, args: {} }), false);
    assert.equal((events[0].payload as { error: string }).error, 'import failed');
  });

  it('extended_stats: called with pid and stats, no events, and its error is not caught', async () => {
    const stats: Record<string, unknown> = { cpu: 0 };
    await runner.extendedStats({
      watcher: fakeWatcherView(),
      hook: 'extended_stats',
      target: hook('extended_stats', (ctx) => {
        ctx.stats!.queue = ctx.pid;
      }),
      args: { pid: 42, stats },
    });
    assert.deepEqual(stats, { cpu: 0, queue: 42 });
    const failing = hook('extended_stats', () => {
      throw new Error('stats hook broke');
    }, true);
    await assert.rejects(runner.extendedStats({ watcher: fakeWatcherView(), hook: 'extended_stats', target: failing, args: { pid: 1, stats } }), /stats hook broke/);
    await runner.extendedStats({ watcher: fakeWatcherView(), hook: 'extended_stats', target: undefined, args: { pid: 1, stats } });
    assert.deepEqual(events, []);
  });

  it('outside an arbiter the hook gets arbiter = null', async () => {
    const bare = new CircusHookRunner(new EventBus(logger), logger, new FixedClock(), container.createChildContainer());
    let arb: unknown = 'unset';
    await bare.run({ watcher: fakeWatcherView(), hook: 'before_stop', target: hook('before_stop', (ctx) => ((arb = ctx.arbiter), true)), args: {} });
    assert.equal(arb, null);
  });
});
