import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import { Arbiter, createArbiter, defaultCircusConfig, PluginError, type CircusConfig, type PluginDescriptor } from '../../../../kernel';
import { CommandsPlugin } from '../../../../plugins/commands/commands-plugin';
import { createProcessSampler } from '../../../../plugins/stats/index';
import { ProcessSampler } from '../../../../kernel';
import { cleanup, fixture, makeTmp, MemoryLogger } from '../../kernel/helpers';

const journal: string[] = [];

class Journaled {
  constructor(private readonly ctx: { name: string }, private readonly opts: { fail?: boolean }) {}
  async start(): Promise<void> {
    if (this.opts.fail) throw new Error('boom');
    journal.push(`start ${this.ctx.name}`);
  }
  async stop(): Promise<void> {
    journal.push(`stop ${this.ctx.name}`);
  }
}

const descriptor: PluginDescriptor = { name: 'journaled', options: { fail: { type: 'bool', default: false } }, plugin: Journaled as never };

function plugin(name: string, extra: Record<string, string | number> = {}): CircusConfig['plugins'][number] {
  return { name, __name__: name, use: 'journaled', ...extra };
}

describe('plugin host: [plugin:NAME] facades ordered with the watchers (spec 2.14)', () => {
  let tmp: string;
  let arbiter: Arbiter | null = null;

  beforeEach(() => {
    journal.splice(0);
    tmp = makeTmp();
  });
  afterEach(async () => {
    const left = await cleanup(arbiter, tmp);
    arbiter = null;
    assert.deepEqual(left, [], 'no fixture process may outlive the test');
  });

  function make(plugins: CircusConfig['plugins'], priorities: Record<string, number>): Arbiter {
    const watchers = Object.entries(priorities).map(([name, priority]) => ({
      name,
      priority,
      cmd: process.execPath,
      args: [fixture('sleeper.js'), tmp],
      graceful_timeout: 1,
    }));
    const a = createArbiter({
      config: defaultCircusConfig({ check_delay: 0, watchers, plugins }),
      logger: new MemoryLogger(),
      pluginResolver: { resolve: () => descriptor },
    });
    a.plugins.register({ name: 'commands', plugin: CommandsPlugin, configure: (c) => c.register(ProcessSampler, { useValue: createProcessSampler() }) });
    a.bus.on('start', (e) => journal.push(`start ${e.watcher}`));
    arbiter = a;
    return a;
  }

  it('issue680: plugin:myplugin (30) before test2 (20) before test1 (10); a default-priority plugin (1) before priority-0 watchers', async () => {
    const a = make([plugin('plugin:myplugin', { priority: 30 }), plugin('plugin:low')], { test1: 10, test2: 20, zero: 0 });
    await a.start();
    const starts = journal.filter((l) => l.startsWith('start ')).filter((l, i, all) => all.indexOf(l) === i);
    assert.deepEqual(starts, ['start plugin:myplugin', 'start test2', 'start test1', 'start plugin:low', 'start zero']);
    assert.deepEqual(a.units.map((u) => u.name), ['test1', 'test2', 'zero', 'plugin:low', 'plugin:myplugin']);
    assert.equal(a.findUnit('PLUGIN:LOW')?.status, 'active');
    await a.stop();
    assert.ok(journal.includes('stop plugin:low') && journal.includes('stop plugin:myplugin'));
    assert.equal(a.findUnit('plugin:low')?.status, 'stopped');
  });

  it('an inactive plugin is not started; a plugin whose start throws fails the arbiter start naming it', async () => {
    const a = make([plugin('plugin:off', { active: 'false' }), plugin('plugin:bad', { fail: 'true', priority: 5 })], { w: 10 });
    await assert.rejects(a.start(), (err: unknown) => err instanceof PluginError && /plugin 'plugin:bad': failed to start \(use = journaled\): boom/.test(err.message));
    assert.equal(a.findUnit('plugin:bad')?.status, 'stopped');
    assert.ok(!journal.includes('start plugin:off'));
    await a.stop();
  });
});
