import * as assert from 'assert';
import * as path from 'path';
import { ConfigError, formatProblem, loadConfig } from '../../../config';
import { BASE_ENV, catchConfigError, fixture, loadFixture, loadText, TempDir } from './helpers';

describe('config/errors: whole-load failures, all reported together (spec/daemon.md 1.10)', () => {
  const tmp = new TempDir();
  after(() => tmp.cleanup());

  it('fails with CONFIG_NOT_FOUND for a missing main file (8.1 #14)', () => {
    const missing = path.join(tmp.dir, 'nope.ini');
    const err = catchConfigError(() => loadConfig(missing, { env: BASE_ENV }));
    assert.strictEqual(err.code, 'CONFIG_NOT_FOUND');
    assert.deepStrictEqual(err.problems, [{ file: missing, message: 'the configuration file does not exist' }]);
    assert.ok(err.message.includes(`${missing}: the configuration file does not exist`));
  });

  it('fails with CONFIG_NOT_FOUND when the main file is a directory', () => {
    const err = catchConfigError(() => loadConfig(tmp.dir, { env: BASE_ENV }));
    assert.strictEqual(err.code, 'CONFIG_NOT_FOUND');
    assert.match(err.message, /EISDIR/);
  });

  it('reports every syntax error of a file with its line', () => {
    const err = catchConfigError(() => loadFixture('syntax_errors.ini'));
    assert.strictEqual(err.code, 'CONFIG_INVALID');
    assert.deepStrictEqual(
      err.problems.map((p) => [p.line, p.section ?? null]),
      [
        [1, null],
        [5, 'watcher:web'],
        [7, 'watcher:other'],
      ],
    );
  });

  it('collects every bad typed value of every section into one error, in file order', () => {
    const err = catchConfigError(() => loadFixture('bad_values.ini'));
    const keys = err.problems.map((p) => `${p.section}/${p.key}`);
    assert.deepStrictEqual(keys, [
      'circus/check_delay',
      'circus/umask',
      'circus/httpd',
      'watcher:web/numprocesses',
      'watcher:web/graceful_timeout',
      'watcher:web/stop_signal',
      'watcher:web/copy_env',
      'watcher:web/rlimit_nofile',
      'watcher:web/hooks.before_start',
      'plugin:noplug/use',
      'plugin:noplug/priority',
      'socket:sock/replace',
    ]);
  });

  it('formats each problem as file:line: [section] key: message', () => {
    const err = catchConfigError(() => loadFixture('bad_values.ini'));
    const file = fixture('bad_values.ini');
    assert.ok(err.message.includes(`${file}:9: [watcher:web] numprocesses: invalid integer 'two'`));
    assert.ok(err.message.includes(`${file}:2: [circus] check_delay: invalid number 'soon'`));
    assert.ok(err.message.includes(`${file}:3: [circus] umask: invalid base-8 integer '099'`));
    assert.ok(err.message.includes(`${file}:11: [watcher:web] stop_signal: invalid signal 'NOTASIGNAL'`));
    assert.ok(err.message.includes(`${file}:17: [plugin:noplug] use: missing`));
    assert.match(err.message, /^invalid configuration \(12 problems\):\n/);
  });

  it('does not report unknown options (ignored as Circus does)', () => {
    const err = catchConfigError(() => loadFixture('bad_values.ini'));
    assert.ok(!err.message.includes('some_unknown_option'));
  });

  it('rejects a bad integer with a message naming file, line, section and key', () => {
    const err = catchConfigError(() => loadText(tmp, '[watcher:web]\ncmd = x\nnumprocesses = 2.5\n'));
    assert.deepStrictEqual({ ...err.problems[0] }, {
      file: path.join(tmp.dir, 'circus.ini'),
      line: 3,
      section: 'watcher:web',
      key: 'numprocesses',
      message: "invalid integer '2.5'",
    });
  });

  it('rejects a value of the wrong type for a boolean option', () => {
    assert.throws(() => loadText(tmp, '[watcher:w]\ncmd = x\nshell = 5\n'), /\[watcher:w\] shell: invalid boolean '5'/);
  });

  it('rejects a watcher warmup_delay of 0.5 as Circus does (int cast)', () => {
    assert.throws(() => loadText(tmp, '[watcher:w]\ncmd = x\nwarmup_delay = 0.5\n'), /warmup_delay: invalid integer/);
  });

  it('reports a plugin with an empty `use`', () => {
    assert.throws(() => loadText(tmp, '[plugin:p]\nuse =\n'), /\[plugin:p\] use: is empty/);
  });

  it('reports syntax errors and cast errors of the same load together', () => {
    const err = catchConfigError(() => loadText(tmp, '[watcher:w]\nbroken\nnumprocesses = x\n'));
    assert.deepStrictEqual(err.problems.map((p) => p.line), [2, 3]);
  });

  it('reports a file that is not UTF-8', () => {
    const file = tmp.write('latin1.ini', '');
    require('fs').writeFileSync(file, Buffer.from([0x5b, 0x63, 0x5d, 0x0a, 0x61, 0x3d, 0xe9, 0x0a]));
    const err = catchConfigError(() => loadConfig(file, { env: BASE_ENV }));
    assert.match(err.message, /is not valid UTF-8 text/);
  });

  it('renders problems without line, section or key', () => {
    assert.strictEqual(formatProblem({ file: 'a.ini', message: 'boom' }), 'a.ini: boom');
    assert.strictEqual(formatProblem({ file: 'a.ini', line: 2, section: 's', key: 'k', message: 'm' }), 'a.ini:2: [s] k: m');
  });

  it('freezes the problems and exposes a stable name', () => {
    const err = new ConfigError('CONFIG_INVALID', [{ file: 'x', message: 'y' }]);
    assert.strictEqual(err.name, 'ConfigError');
    assert.ok(Object.isFrozen(err.problems) && Object.isFrozen(err.problems[0]));
    assert.match(err.message, /^invalid configuration \(1 problem\):\n  x: y$/);
  });
});
