import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../../config';
import { Arbiter, ConstructionError, createArbiter, defaultCircusConfig, HookContext } from '../../../kernel';
import { cleanup, fixture, makeTmp, MemoryLogger, processesWith, repoRoot, waitFor } from './helpers';

interface Recorder {
  calls: { hook: string; watcher: string; args: Record<string, unknown> }[];
  plan: Record<string, unknown>;
  reset(): void;
}

const HOOKS = path.join(repoRoot(), 'test/fixtures/hooks');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rec = require(path.join(HOOKS, 'recorder.js')) as Recorder;

describe('kernel integration: hooks from a config file, bad hooks, reload', function () {
  this.timeout(30000);
  let tmp: string;
  let arbiter: Arbiter | null;
  let logger: MemoryLogger;

  beforeEach(() => {
    tmp = makeTmp();
    arbiter = null;
    logger = new MemoryLogger();
    rec.reset();
  });

  afterEach(async () => {
    rec.reset();
    const left = await cleanup(arbiter, tmp);
    assert.deepEqual(left, [], 'no fixture process may outlive the test');
  });

  /** A watcher section running the sleeper fixture with the given hook lines. */
  function section(name: string, ...hookLines: string[]): string {
    return [
      `[watcher:${name}]`,
      `cmd = ${process.execPath} ${fixture('sleeper.js')} ${tmp} ${name}`,
      'graceful_timeout = 1',
      ...hookLines,
      '',
    ].join('\n');
  }

  function writeIni(body: string): string {
    const file = path.join(tmp, 'circus.ini');
    writeFileSync(file, `[circus]\ncheck_delay = -1\n\n${body}`);
    return file;
  }

  it('resolves `./module:export` and the dotted form relative to the config file, and PYTHONPATH from [env:NAME] (8.1 items 9-10)', async () => {
    writeFileSync(path.join(tmp, 'local.js'), `module.exports = require(${JSON.stringify(path.join(HOOKS, 'recorder.js'))});`);
    mkdirSync(path.join(tmp, 'gates'));
    writeFileSync(path.join(tmp, 'gates', 'open.js'), 'exports.allow = () => true;');
    const lib = path.join(tmp, 'lib');
    mkdirSync(path.join(lib, 'remote'), { recursive: true });
    writeFileSync(path.join(lib, 'remote', 'checks.js'), `exports.check = (ctx) => require(${JSON.stringify(path.join(HOOKS, 'recorder.js'))}).record(ctx);`);
    const file = writeIni(
      section('relative', 'hooks.before_start = ./local.js:record, false', 'hooks.after_start = gates.open.allow') +
        section('pathed', 'copy_env = true', 'hooks.before_start = remote.checks.check') +
        `[env:pathed]\nPYTHONPATH = $PYTHONPATH:${lib}\n`,
    );
    const { config } = loadConfig(file, { env: { PATH: process.env.PATH, PYTHONPATH: '/nonexistent' } });
    assert.deepEqual(config.watchers.find((w) => w.name === 'relative')!.hooks.before_start, ['./local.js:record', false]);
    arbiter = createArbiter({ config, configPath: file, logger });
    assert.deepEqual(arbiter.watchers.map((w) => w.name), ['pathed', 'relative']);
    await arbiter.start();
    assert.equal(arbiter.getWatcher('relative').status, 'active');
    assert.equal(arbiter.getWatcher('pathed').status, 'active');
    assert.deepEqual(rec.calls.map((c) => `${c.watcher}:${c.hook}`).sort(), ['pathed:before_start', 'relative:before_start']);
  });

  it('examples/hooks.ini: every hook of the example resolves when the kernel builds the watcher', () => {
    const file = path.join(repoRoot(), 'examples/hooks.ini');
    const { config } = loadConfig(file, { env: { PATH: process.env.PATH } });
    arbiter = createArbiter({ config, configPath: file, logger });
    assert.deepEqual(arbiter.watchers.map((w) => w.name), ['hooked']);
    assert.ok(!logger.has('Failed to create watcher'), logger.lines.join('\n'));
  });

  it('a hook that does not load skips only its watcher with "Failed to create watcher" naming the hook; the rest runs', async () => {
    const file = writeIni(
      section('good', `hooks.before_start = ${path.join(HOOKS, 'pkg/checks.js')}:allow`) +
        section('missing', 'hooks.before_start = ./nope.js:check') +
        section('dotted', 'hooks.after_spawn = nowhere.to.be.found') +
        section('loadfail', `hooks.before_stop = ${path.join(HOOKS, 'throws-at-load.js')}:f`) +
        section('noexport', `hooks.after_start = ${path.join(HOOKS, 'recorder.js')}:absent`) +
        section('notfn', `hooks.before_spawn = ${path.join(HOOKS, 'not-a-function.js')}:value`),
    );
    const { config } = loadConfig(file, { env: { PATH: process.env.PATH } });
    arbiter = createArbiter({ config, configPath: file, logger });
    assert.deepEqual(arbiter.watchers.map((w) => w.name), ['good']);
    const failed = logger.lines.filter((l) => l.startsWith('WARNING Failed to create watcher: '));
    assert.equal(failed.length, 5, logger.lines.join('\n'));
    const expect: [string, RegExp][] = [
      ['missing', /watcher 'missing': hooks\.before_start = '\.\/nope\.js:check': cannot find module '\.\/nope\.js' \(looked at .*nope\.js/],
      ['dotted', new RegExp(`watcher 'dotted': hooks\\.after_spawn = 'nowhere\\.to\\.be\\.found': cannot resolve .* in ${tmp}`)],
      ['loadfail', /watcher 'loadfail': hooks\.before_stop = .*: loading .*throws-at-load\.js failed: this hook module refuses to load/],
      ['noexport', /watcher 'noexport': hooks\.after_start = .*recorder\.js has no export 'absent'/],
      ['notfn', /watcher 'notfn': hooks\.before_spawn = .*export 'value' of .*not-a-function\.js is not a function/],
    ];
    for (const [name, pattern] of expect) {
      assert.ok(failed.some((l) => pattern.test(l)), `${name}: ${failed.join('\n')}`);
    }
    await arbiter.start();
    assert.equal(arbiter.getWatcher('good').status, 'active');
    assert.equal(processesWith(tmp).length, 1);
  });

  it('adding a watcher with a bad hook programmatically is an error naming the hook', async () => {
    arbiter = createArbiter({ config: defaultCircusConfig({ check_delay: -1 }), logger });
    await arbiter.start();
    await assert.rejects(
      arbiter.addWatcher({ name: 'late', cmd: process.execPath, args: [fixture('sleeper.js'), tmp], hooks: { before_start: ['./absent.js:f', false] } }),
      (err: unknown) => err instanceof ConstructionError && /watcher 'late': hooks\.before_start = '\.\/absent\.js:f'/.test(err.message),
    );
    assert.equal(arbiter.find('late'), undefined);
  });

  it('during a reload a refusing before_spawn or after_spawn only skips that spawn; the watcher stays active', async () => {
    const spec = [`${path.join(HOOKS, 'recorder.js')}:record`, false] as const;
    arbiter = createArbiter({
      config: defaultCircusConfig({ check_delay: -1 }),
      logger,
    });
    const w = await arbiter.addWatcher(
      { name: 'web', cmd: process.execPath, args: [fixture('sleeper.js'), tmp, 'web'], graceful_timeout: 1, hooks: { before_spawn: spec, after_spawn: spec } },
      { start: true },
    );
    const [first] = w.pids;
    rec.plan.before_spawn = false;
    await w.reload();
    assert.equal(w.status, 'active');
    assert.deepEqual(w.pids, [first]);
    rec.plan.before_spawn = true;
    rec.plan.after_spawn = false;
    await w.reload();
    assert.equal(w.status, 'active');
    assert.deepEqual(w.pids, [first]);
    const refused = rec.calls.filter((c) => c.hook === 'after_spawn').map((c) => c.args.pid as number).filter((p) => p !== first);
    assert.equal(refused.length, 1);
    await waitFor('the refused process to be gone', () => !processesWith(tmp).includes(refused[0]));
    assert.deepEqual(processesWith(tmp), [first]);
  });

  it('a hook changed at runtime with set hooks.NAME is resolved again and used', async () => {
    arbiter = createArbiter({ config: defaultCircusConfig({ check_delay: -1 }), logger });
    const w = await arbiter.addWatcher({ name: 'web', cmd: process.execPath, args: [fixture('sleeper.js'), tmp, 'web'], graceful_timeout: 1 }, { start: true });
    rec.plan.before_start = (ctx: HookContext) => ctx.watcher.name === 'nobody';
    await w.set({ 'hooks.before_start': `${path.join(HOOKS, 'recorder.js')}:record` });
    await w.restart();
    assert.equal(w.status, 'stopped', 'the new before_start refused the start');
    assert.equal(rec.calls.length, 1);
  });
});
