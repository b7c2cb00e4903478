import * as assert from 'assert';
import * as path from 'path';
import { checkConstruction, findVirtualenvSiteDir, resolveModuleSpec, loadConfig } from '../../../config';
import { BASE_ENV, fixture, FIXTURES, loadFixture, TempDir } from './helpers';

describe('config/construction-check: problems met when building watchers and sockets (spec/daemon.md 1.10)', () => {
  const env = { ...BASE_ENV, VENV_DIR: path.join(FIXTURES, 'venv') };
  const { config } = loadFixture('construction.ini', env);
  const report = checkConstruction(config, fixture('construction.ini'), { env });
  const warningsOf = (name: string): string[] => report.warnings.filter((w) => w.includes(`'${name}'`));

  it('skips exactly the watchers Circus would fail to create', () => {
    assert.deepStrictEqual([...report.skippedWatchers].sort(), [
      'bad-copy-path',
      'bad-hook',
      'bad-hook-export',
      'bad-max-age',
      'bad-rotation',
      'bad-singleton',
      'bad-stream-class',
      'bad-stream-config',
      'bad-variance',
      'bad-virtualenv',
    ]);
  });

  it('accepts hooks in dotted and module:export form, a custom stream class and a circus.stream alias', () => {
    assert.deepStrictEqual(warningsOf('good'), []);
  });

  it('names the watcher and the reason in every warning', () => {
    assert.match(warningsOf('bad-max-age')[0], /^Failed to create watcher 'bad-max-age': max_age: invalid integer 'soon'/);
    assert.match(warningsOf('bad-variance')[0], /max_age_variance: invalid integer '1\.5'/);
    assert.match(warningsOf('bad-singleton')[0], /cannot have 2 processes with a singleton watcher/);
    assert.match(warningsOf('bad-stream-class')[0], /stdout_stream\.class: unknown stream class 'NoSuchStream'/);
    assert.match(warningsOf('bad-stream-config')[0], /stdout_stream: invalid stream configuration/);
    assert.match(warningsOf('bad-rotation')[0], /stderr_stream\.rotate_when: invalid rotation 'fortnightly'/);
    assert.match(warningsOf('bad-copy-path')[0], /copy_path needs copy_env = true/);
    assert.match(warningsOf('bad-virtualenv')[0], /copy_env must be true to use virtualenv/);
    assert.match(warningsOf('bad-hook')[0], /hooks\.before_start: cannot resolve 'no\.such\.module'/);
    assert.match(warningsOf('bad-hook-export')[0], /hooks\.after_stop: .*export 'notCallable'.* is not a function or class/);
  });

  it('accepts a virtualenv with copy_env and a site-packages directory', () => {
    assert.deepStrictEqual(warningsOf('good-virtualenv'), []);
  });

  it('warns, without skipping, for a non-singleton watcher with numprocesses = 0', () => {
    assert.ok(!report.skippedWatchers.includes('zero'));
    assert.deepStrictEqual(warningsOf('zero'), []);
    assert.ok(report.warnings.includes("Non-singleton watcher zero with numprocesses=0 won't start any process"));
  });

  it('skips sockets with an unknown family, type or protocol, or bad integers', () => {
    assert.deepStrictEqual([...report.skippedSockets].sort(), ['bad-family', 'bad-port', 'bad-proto', 'bad-type']);
    assert.match(warningsOf('bad-family')[0], /^Failed to create socket 'bad-family': unknown family 'AF_MARS'/);
    assert.match(warningsOf('bad-type')[0], /unknown type 'SOCK_WEIRD'/);
    assert.match(warningsOf('bad-proto')[0], /unknown protocol 'foo'/);
    assert.deepStrictEqual(
      warningsOf('bad-port').map((w) => w.replace(/^.*': /, '').replace(/ \(the socket.*$/, '')),
      ["port: invalid integer 'eighty'", "backlog: invalid integer '1.5'", "umask: invalid integer 'x'"],
    );
  });

  describe('stream classes (spec/daemon.md 4.2)', () => {
    const tmp = new TempDir();
    after(() => tmp.cleanup());
    const check = (lines: string): readonly string[] => {
      const file = tmp.write('streams.ini', `[watcher:w]\ncmd = x\n${lines}`);
      const loaded = loadConfig(file, { env: BASE_ENV });
      return checkConstruction(loaded.config, file, { env: BASE_ENV }).warnings;
    };

    it('accepts the circus.stream.* and circus.stream.file_stream.* aliases of built-ins', () => {
      assert.deepStrictEqual(check('stdout_stream.class = circus.stream.file_stream.WatchedFileStream\nstdout_stream.filename = /tmp/a\n'), []);
      assert.deepStrictEqual(check('stderr_stream.class = circus.stream.FancyStdoutStream\n'), []);
      assert.deepStrictEqual(check('stderr_stream.class = StdoutStream\nstderr_stream.refresh_time = 1\n'), []);
    });

    it('implies FileStream from a filename alone and checks its integers', () => {
      assert.deepStrictEqual(check('stdout_stream.filename = /tmp/a\n'), []);
      assert.match(check('stdout_stream.filename = /tmp/a\nstdout_stream.backup_count = many\n')[0], /stdout_stream\.backup_count: invalid integer 'many'/);
    });

    it('rejects an unknown circus.stream alias and an unresolvable custom class', () => {
      assert.match(check('stdout_stream.class = circus.stream.Nope\n')[0], /unknown stream class 'circus\.stream\.Nope'/);
      assert.match(check('stdout_stream.class = my.streams.Missing\n')[0], /stdout_stream\.class: cannot resolve 'my\.streams\.Missing'/);
    });

    it('accepts rotate_when in any case (quirk Q26, fixed) with a valid interval', () => {
      assert.deepStrictEqual(
        check('stdout_stream.class = TimedRotatingFileStream\nstdout_stream.filename = /tmp/a\nstdout_stream.rotate_when = midnight\nstdout_stream.rotate_interval = 2\n'),
        [],
      );
    });
  });

  describe('hook resolution (spec/daemon.md 5.3)', () => {
    const tmp = new TempDir();
    after(() => tmp.cleanup());

    it('resolves a dotted hook found only through PYTHONPATH in [env:NAME] with copy_env (8.1 #10)', () => {
      const file = tmp.write(
        'pp/circus.ini',
        '[watcher:foo]\ncmd = x\ncopy_env = True\nhooks.before_start = pkg.helpers.ready\n' +
          '[env:foo]\nPYTHONPATH = $PYTHONPATH:$HOOKS_DIR\n',
      );
      const procEnv = { ...BASE_ENV, PYTHONPATH: '/nowhere', HOOKS_DIR: path.join(FIXTURES, 'hooks') };
      const loaded = loadConfig(file, { env: procEnv });
      const r = checkConstruction(loaded.config, file, { env: procEnv });
      assert.deepStrictEqual(r.skippedWatchers, []);
      const withoutPath = checkConstruction(loaded.config, file, { env: BASE_ENV });
      assert.deepStrictEqual(withoutPath.skippedWatchers, ['foo']);
    });

    it('resolves through NODE_PATH and the watcher working_dir too', () => {
      const ctxBase = { configDir: tmp.dir, cwd: tmp.dir };
      assert.ok(!resolveModuleSpec('pkg.helpers.ready', ctxBase).ok);
      const viaNodePath = resolveModuleSpec('pkg.helpers.ready', { ...ctxBase, env: new Map([['NODE_PATH', path.join(FIXTURES, 'hooks')]]) });
      assert.ok(viaNodePath.ok && viaNodePath.file.endsWith(path.join('pkg', 'helpers.js')));
      const viaWorkingDir = resolveModuleSpec('pkg.helpers.ready', { ...ctxBase, workingDir: path.join(FIXTURES, 'hooks') });
      assert.ok(viaWorkingDir.ok && viaWorkingDir.exportPath.join('.') === 'ready');
    });

    it('resolves `./file.js:export.path` relative to the config directory', () => {
      const r = resolveModuleSpec('./hooks/mymodule.js:nested.deep', { configDir: FIXTURES });
      assert.ok(r.ok);
      assert.deepStrictEqual([r.file, r.exportPath], [path.join(FIXTURES, 'hooks', 'mymodule.js'), ['nested', 'deep']]);
    });

    it('explains where it looked when nothing resolves', () => {
      const r = resolveModuleSpec('a.b.c', { configDir: tmp.dir, cwd: tmp.dir });
      assert.ok(!r.ok);
      assert.match(r.reason, /no module 'a\/b' or 'a\/b\/c' in /);
    });
  });

  it('finds a virtualenv site dir by version or by scanning lib/', () => {
    const venv = path.join(FIXTURES, 'venv');
    assert.deepStrictEqual(findVirtualenvSiteDir(venv), { siteDir: path.join(venv, 'lib', 'python3.11', 'site-packages') });
    assert.deepStrictEqual(findVirtualenvSiteDir(venv, '3.11'), { siteDir: path.join(venv, 'lib', 'python3.11', 'site-packages') });
    assert.ok('missing' in findVirtualenvSiteDir(venv, '2.7'));
  });
});
