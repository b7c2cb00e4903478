import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConstructionError, DEFAULT_IGNORE_FAILURE, HookFunction, HookResolver, hookLocation, WatcherHooks } from '../../../../kernel';
import { hookFixture, repoRoot } from './helpers';

const fixtures = path.dirname(hookFixture('recorder.js'));

function catchConstruction(fn: () => unknown): ConstructionError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConstructionError, String(err));
    return err;
  }
  assert.fail('expected a ConstructionError');
}

describe('kernel/hooks/hook-resolver', () => {
  let tmp: string;
  const facts = { working_dir: null, env: {} };

  beforeEach(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'circus-hooks-'));
  });

  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('resolves <module>:<export> relative to the config directory, with a dotted export path', async () => {
    const r = new HookResolver({ configDir: fixtures, cwd: tmp });
    const plain = r.resolve('w', 'before_start', ['./recorder.js:record', false], facts);
    const nested = r.resolve('w', 'before_start', ['./recorder:nested.record', false], facts);
    const mod = require(hookFixture('recorder.js')) as { record: HookFunction };
    assert.equal(await plain.load(), mod.record);
    assert.equal(await nested.load(), mod.record);
    assert.equal(plain.spec, './recorder.js:record');
  });

  it('resolves an absolute path', async () => {
    const r = new HookResolver({ configDir: tmp, cwd: tmp });
    const h = r.resolve('w', 'after_start', [`${hookFixture('pkg/checks.js')}:refuse`, false], facts);
    assert.equal((await h.load())({} as never), false);
  });

  it('resolves the dotted form from the config dir, the working_dir, PYTHONPATH, NODE_PATH and the cwd (spec 5.3)', async () => {
    const dirs = ['conf', 'work', 'py', 'node', 'cwd'].map((d) => path.join(tmp, d));
    dirs.forEach((d, i) => {
      mkdirSync(path.join(d, 'm'), { recursive: true });
      writeFileSync(path.join(d, 'm', `only${i}.js`), `exports.fn = () => ${i + 10};`);
    });
    const r = new HookResolver({ configDir: dirs[0], cwd: dirs[4] });
    const env = { PYTHONPATH: `/nonexistent:${dirs[2]}`, NODE_PATH: dirs[3] };
    for (let i = 0; i < dirs.length; i += 1) {
      const h = r.resolve('w', 'before_start', [`m.only${i}.fn`, false], { working_dir: dirs[1], env });
      assert.equal((await h.load())({} as never), i + 10, `found through ${dirs[i]}`);
    }
  });

  it('a module not found names the watcher, the hook, the spec and the places searched', () => {
    const r = new HookResolver({ configDir: tmp, cwd: tmp });
    const err = catchConstruction(() => r.resolve('web', 'before_start', ['no.such.hook', false], facts));
    assert.equal(err.code, 'E_CONSTRUCTION');
    assert.equal(err.watcher, 'web');
    assert.match(err.message, /^watcher 'web': hooks\.before_start = 'no\.such\.hook': cannot resolve/);
    assert.ok(err.message.includes(tmp), err.message);
    const colon = catchConstruction(() => r.resolve('web', 'after_spawn', ['./missing.js:fn', false], facts));
    assert.match(colon.message, /hooks\.after_spawn = '\.\/missing\.js:fn': cannot find module '\.\/missing\.js'/);
  });

  it('a module that throws while loading, a missing export and a non-function are construction errors', () => {
    const r = new HookResolver({ configDir: fixtures, cwd: tmp });
    const cases: [string, RegExp][] = [
      ['./throws-at-load.js:fn', /loading .*throws-at-load\.js failed: this hook module refuses to load/],
      ['./recorder.js:nothere', /has no export 'nothere'/],
      ['./not-a-function.js:value', /export 'value' of .*not-a-function\.js is not a function/],
    ];
    for (const [spec, message] of cases) {
      const err = catchConstruction(() => r.resolve('w', 'before_spawn', [spec, false], facts));
      assert.match(err.message, message);
      assert.ok(err.message.includes(`hooks.before_spawn = '${spec}'`), err.message);
    }
  });

  it('the ignore-failure set: the defaults, plus hooks flagged true; false does not remove a default', () => {
    const r = new HookResolver({ configDir: fixtures, cwd: tmp });
    assert.deepEqual([...DEFAULT_IGNORE_FAILURE].sort(), ['after_signal', 'after_stop', 'before_signal', 'before_stop', 'extended_stats']);
    assert.equal(r.resolve('w', 'before_start', ['./recorder.js:record', false], facts).ignoreFailure, false);
    assert.equal(r.resolve('w', 'before_start', ['./recorder.js:record', true], facts).ignoreFailure, true);
    assert.equal(r.resolve('w', 'before_signal', ['./recorder.js:record', false], facts).ignoreFailure, true);
  });

  it('accepts functions when embedding: fn or [fn, ignoreFailure]', async () => {
    const r = new HookResolver({ configDir: tmp, cwd: tmp });
    const check: HookFunction = () => true;
    const a = r.resolve('w', 'before_start', check, facts);
    const b = r.resolve('w', 'before_start', [check, true], facts);
    assert.equal(await a.load(), check);
    assert.equal(a.ignoreFailure, false);
    assert.equal(b.ignoreFailure, true);
    assert.equal(a.spec, '<function check>');
  });

  it('imports an ES module hook on first use', async () => {
    const r = new HookResolver({ configDir: fixtures, cwd: tmp });
    const h = r.resolve('w', 'before_start', ['./esm-hook.mjs:allow', false], facts);
    const fn = await h.load();
    assert.equal(fn({ hook_name: 'before_start' } as never), true);
    const missing = r.resolve('w', 'before_start', ['./esm-hook.mjs:absent', false], facts);
    await assert.rejects(missing.load(), /has no export 'absent'/);
  });

  it('hookLocation: the config file directory, else the cwd', () => {
    assert.deepEqual(hookLocation('conf/circus.ini', '/srv'), { configDir: '/srv/conf', cwd: '/srv' });
    assert.deepEqual(hookLocation(null, '/srv'), { configDir: '/srv', cwd: '/srv' });
  });
});

describe('kernel/hooks/watcher-hooks', () => {
  it('resolves every hook up front and fails on the first bad one', () => {
    const resolver = new HookResolver({ configDir: fixtures, cwd: repoRoot() });
    const good = new WatcherHooks({ name: 'w', working_dir: null, env: {}, hooks: { before_start: ['./recorder.js:record', false] } }, resolver);
    good.resolveAll();
    assert.equal(good.get('before_start')?.spec, './recorder.js:record');
    assert.equal(good.get('after_start'), undefined);
    const bad = new WatcherHooks({ name: 'w', working_dir: null, env: {}, hooks: { after_stop: ['./nope.js:f', false] } }, resolver);
    assert.throws(() => bad.resolveAll(), /watcher 'w': hooks\.after_stop/);
  });

  it('re-resolves a hook whose spec changed at runtime; a bad new spec fails when run', async () => {
    const resolver = new HookResolver({ configDir: fixtures, cwd: repoRoot() });
    const source = { name: 'w', working_dir: null, env: {}, hooks: { before_start: ['./pkg/checks.js:allow', false] as const } as Record<string, readonly [string, boolean]> };
    const hooks = new WatcherHooks(source, resolver);
    hooks.resolveAll();
    const first = hooks.get('before_start');
    assert.equal(hooks.get('before_start'), first, 'cached while unchanged');
    source.hooks = { before_start: ['./pkg/checks.js:refuse', true] };
    const second = hooks.get('before_start');
    assert.notEqual(second, first);
    assert.equal(second?.ignoreFailure, true);
    assert.equal((await second!.load())({} as never), false);
    source.hooks = { before_start: ['./gone.js:f', false] };
    await assert.rejects(hooks.get('before_start')!.load(), /hooks\.before_start = '\.\/gone\.js:f'/);
  });
});
