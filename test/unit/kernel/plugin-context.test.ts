import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import {
  answered,
  CommandRegistry,
  EventBus,
  ExclusiveLock,
  InProcessPluginContext,
  NotFoundError,
  PluginCallError,
  started,
} from '../../../kernel';
import { MemoryLogger } from '../../integration/kernel/helpers';

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('kernel/plugin-context: the in-process PluginContext', () => {
  let registry: CommandRegistry;
  let bus: EventBus;
  let logger: MemoryLogger;
  let ctx: InProcessPluginContext;
  let finishSlow: (v: unknown) => void;

  beforeEach(() => {
    logger = new MemoryLogger();
    registry = new CommandRegistry(new ExclusiveLock());
    bus = new EventBus(logger);
    registry.register({ name: 'echo', properties: [], execute: async (props) => answered({ echoed: props.text }) });
    registry.register({
      name: 'slow',
      properties: [],
      execute: async () => started(new Promise((resolve) => (finishSlow = resolve))),
    });
    registry.register({
      name: 'get',
      properties: ['name'],
      execute: async (props) => {
        throw new NotFoundError('watcher', String(props.name));
      },
    });
    ctx = new InProcessPluginContext({ name: 'plugin:t', checkDelay: 5, logger, registry, bus });
  });
  afterEach(() => ctx.dispose());

  it('call answers with the command result; a background command resolves {} at once, or its result when waiting', async () => {
    assert.deepEqual(await ctx.call('echo', { text: 'hi' }), { echoed: 'hi' });
    assert.deepEqual(await ctx.call('slow'), {});
    finishSlow({ info: 1 });
    const waited = ctx.call('slow', { waiting: true });
    await new Promise((r) => setImmediate(r));
    finishSlow({ info: 2 });
    assert.deepEqual(await waited, { info: 2 });
  });

  it('call rejects with the Circus reason: unknown watcher, missing property, unknown command', async () => {
    await assert.rejects(ctx.call('get', { name: 'web' }), (e: unknown) => e instanceof PluginCallError && e.message === 'program web not found');
    await assert.rejects(ctx.call('get'), { message: "message invalid 'name' is missing" });
    await assert.rejects(ctx.call('nope'), { message: 'unknown command: nope' });
  });

  it('cast never throws; its failure is logged', async () => {
    ctx.cast('get', { name: 'web' });
    await until('the cast failure log line', () => logger.lines.some((l) => l.includes("cast 'get' failed: program web not found")));
  });

  it('events reach the plugin on a later tick, never inside the emitting call, and not after dispose', async () => {
    const seen: string[] = [];
    ctx.on('spawn', (e) => seen.push(`spawn ${e.watcher} ${e.payload.process_pid}`));
    ctx.onAny((e) => seen.push(`any ${e.name}`));
    bus.emit('spawn', 'web', { process_pid: 42, time: 1 });
    assert.deepEqual(seen, [], 'delivery is deferred');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen, ['spawn web 42', 'any spawn']);
    bus.emit('stop', 'web', { time: 2 });
    ctx.dispose();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen, ['spawn web 42', 'any spawn']);
  });

  it('every never overlaps a slow run, goes on after a failing run, and stops when disposed', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const task = ctx.every(0.005, async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      runs += 1;
      await new Promise((r) => setTimeout(r, 30));
      running -= 1;
      if (runs === 1) throw new Error('first run fails');
    });
    await until('three runs', () => runs >= 3);
    task.dispose();
    const after = runs;
    await until('the last run to finish', () => running === 0);
    await new Promise((r) => setTimeout(r, 40));
    assert.ok(runs <= after + 1, 'no run is scheduled after dispose');
    assert.equal(maxRunning, 1);
    assert.ok(logger.lines.some((l) => l.includes('periodic task failed: first run fails')));
  });
});
