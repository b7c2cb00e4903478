import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConstructionError, defaultCircusConfig, NullLogger, priorityOrder, watcherRecord } from '../../../kernel';
import { buildWatcherSettings, defaultWorkingDir } from '../../../kernel/watcher/watcher-settings';
import { MemoryLogger } from '../../integration/kernel/helpers';

const ctx = { processEnv: {}, cwd: '/', logger: new NullLogger() };

describe('kernel/watcher construction (spec 1.10, 2.1)', () => {
  it('watcherRecord fills the spec defaults and freezes the record', () => {
    const r = watcherRecord({ name: 'w', cmd: 'prog' });
    assert.equal(r.numprocesses, 1);
    assert.equal(r.max_retry, 5);
    assert.equal(r.graceful_timeout, 30);
    assert.equal(r.stop_signal, 15);
    assert.equal(r.respawn, true);
    assert.equal(r.__name__, 'watcher:w');
    assert.ok(Object.isFrozen(r) && Object.isFrozen(r.env));
    const s = buildWatcherSettings(r, ctx);
    assert.equal(s.close_child_stdin, true);
    assert.equal(s.max_age_variance, 30);
    assert.deepEqual(s.restart, { minDelay: 0.1, maxDelay: 30, minUptime: 1, freeFailures: 1 });
    assert.deepEqual(s.extra, {}, 'restart keys show only when set');
  });

  it('parses the restart policy keys and keeps them as options', () => {
    const s = buildWatcherSettings(watcherRecord({ name: 'w', cmd: 'p', respawn_backoff_min: '0.5', respawn_backoff_max: '4', respawn_min_uptime: '2' }), ctx);
    assert.deepEqual(s.restart, { minDelay: 0.5, maxDelay: 4, minUptime: 2, freeFailures: 1 });
    assert.equal(s.extra.respawn_backoff_min, '0.5');
    assert.throws(() => buildWatcherSettings(watcherRecord({ name: 'w', cmd: 'p', respawn_backoff_min: 'soon' }), ctx), ConstructionError);
  });

  it('rejects bad options with a ConstructionError naming the watcher', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ singleton: true, numprocesses: 2 }, /watcher 'w': .*singleton/],
      [{ copy_path: true }, /copy_env and copy_path must have the same value/],
      [{ max_age: '1.5' }, /max_age: invalid literal for int\(\) with base 10: '1.5'/],
      [{ max_age_variance: 'x' }, /max_age_variance/],
      [{ virtualenv: '/nope' }, /copy_env must be True to use virtualenv/],
    ];
    for (const [extra, pattern] of bad) {
      assert.throws(() => buildWatcherSettings(watcherRecord({ name: 'w', cmd: 'p', ...extra }), ctx), (err: unknown) => {
        assert.ok(err instanceof ConstructionError);
        assert.equal(err.watcher, 'w');
        assert.match(err.message, pattern);
        return true;
      });
    }
    assert.equal(buildWatcherSettings(watcherRecord({ name: 'w', cmd: 'p', max_age: ' 12 ' }), ctx).max_age, 12);
  });

  it('warns about numprocesses = 0 on a non-singleton watcher', () => {
    const logger = new MemoryLogger();
    buildWatcherSettings(watcherRecord({ name: 'np0', cmd: 'p', numprocesses: 0 }), { ...ctx, logger });
    assert.ok(logger.has("WARNING Non-singleton watcher np0 with numprocesses=0 won't start any process"));
  });

  it('working_dir defaults to $PWD when it is the same directory as the cwd, else the cwd', () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'circus-wd-'));
    try {
      const real = path.join(tmp, 'real');
      mkdirSync(real);
      symlinkSync(real, path.join(tmp, 'link'));
      assert.equal(defaultWorkingDir({ ...ctx, cwd: real, processEnv: { PWD: path.join(tmp, 'link') } }), path.join(tmp, 'link'));
      assert.equal(defaultWorkingDir({ ...ctx, cwd: real, processEnv: { PWD: tmp } }), real);
      assert.equal(defaultWorkingDir({ ...ctx, cwd: real, processEnv: {} }), real);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('virtualenv puts bin on PATH and site-packages plus .pth entries on PYTHONPATH', () => {
    const venv = mkdtempSync(path.join(tmpdir(), 'circus-venv-'));
    try {
      const site = path.join(venv, 'lib', 'python3.11', 'site-packages');
      mkdirSync(path.join(site, 'extra'), { recursive: true });
      mkdirSync(path.join(venv, 'bin'));
      writeFileSync(path.join(site, 'x.pth'), '# comment\nimport foo\nextra\nmissing\n');
      const s = buildWatcherSettings(watcherRecord({ name: 'w', cmd: 'p', copy_env: true, virtualenv: venv }), {
        ...ctx,
        processEnv: { PATH: '/usr/bin' },
      });
      assert.equal(s.env.PATH, `${path.join(venv, 'bin')}:/usr/bin`);
      assert.equal(s.env.PYTHONPATH, `${path.join(site, 'extra')}:${site}`);
    } finally {
      rmSync(venv, { recursive: true, force: true });
    }
  });

  it('defaultCircusConfig gives the [circus] defaults and accepts plain watcher options', () => {
    const c = defaultCircusConfig({ watchers: [{ name: 'a', cmd: 'x' }] });
    assert.equal(c.check_delay, 5);
    assert.equal(c.multicast_endpoint, '', 'discovery off by default (Q40)');
    assert.equal(c.watchers[0].__name__, 'watcher:a');
  });

  it('priority order: highest first, ties in list order (issue680)', () => {
    const list = [
      { name: 'test1', priority: 10 },
      { name: 'plugin:myplugin', priority: 30 },
      { name: 'a', priority: 0 },
      { name: 'test2', priority: 20 },
      { name: 'b', priority: 0 },
    ];
    assert.deepEqual(priorityOrder(list).map((w) => w.name), ['plugin:myplugin', 'test2', 'test1', 'a', 'b']);
  });
});
