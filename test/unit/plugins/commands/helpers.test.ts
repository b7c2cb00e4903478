import { strict as assert } from 'node:assert';
import { ArgumentError, CommandError } from '../../../../kernel';
import { globToRegExp } from '../../../../plugins/commands/match';
import { bytes2human, formatCtime } from '../../../../plugins/commands/process-info';
import { pidDiff, truthy } from '../../../../plugins/commands/props';
import { toPid, toSignum } from '../../../../plugins/commands/signum';
import { validateOptions } from '../../../../plugins/commands/validate-options';

describe('commands plugin helpers', () => {
  it('bytes2human as Circus (tests/test_util.py)', () => {
    assert.equal(bytes2human(100), '100B');
    assert.equal(bytes2human(10000), '9.77K');
    assert.equal(bytes2human(100001221), '95.37M');
    assert.equal(bytes2human(2047 * 1024 * 1024), '2.00G');
  });

  it('ctime keeps Circus quirks: minutes modulo 60, unpadded microsecond digits', () => {
    assert.equal(formatCtime(1.005), '0:01.50');
    assert.equal(formatCtime(0.41), '0:00.41');
    assert.equal(formatCtime(0), '0:00.0');
    assert.equal(formatCtime(3725.5), '2:05.50');
  });

  it('to_signum: numbers, names in any case, offsets, trailing garbage; errno 3 vs 5 errors', () => {
    assert.equal(toSignum(15), 15);
    assert.equal(toSignum('15'), 15);
    assert.equal(toSignum('term'), 15);
    assert.equal(toSignum('SIGTERM'), 15);
    assert.equal(toSignum('kill-9'), 9);
    assert.equal(toSignum('SIGRTMIN+1'), 35);
    assert.throws(() => toSignum(''), (e: unknown) => e instanceof ArgumentError && e.message === 'signal invalid');
    assert.throws(() => toSignum('  term'), ArgumentError);
    assert.throws(() => toSignum('FOO'), (e: unknown) => e instanceof CommandError && e.message === "module 'signal' has no attribute 'SIGFOO'");
    assert.throws(() => toSignum('9x'), (e: unknown) => e instanceof CommandError && e.message === "module 'signal' has no attribute 'SIG9X'");
  });

  it('pids: ints and numeric strings; anything else is Python int() error text', () => {
    assert.equal(toPid(12), 12);
    assert.equal(toPid(' 12 '), 12);
    assert.throws(() => toPid('x'), /invalid literal for int\(\) with base 10: 'x'/);
  });

  it('glob: whole-name match, ?, [..] and [!..]', () => {
    assert.ok(globToRegExp('alp*').test('alpha'));
    assert.ok(!globToRegExp('alp').test('alpha'));
    assert.ok(globToRegExp('w?b').test('web'));
    assert.ok(globToRegExp('[wx]eb').test('web'));
    assert.ok(!globToRegExp('[!w]eb').test('web'));
    assert.ok(globToRegExp('a.b').test('a.b') && !globToRegExp('a.b').test('axb'));
  });

  it('Python truthiness of waiting/start/nostop', () => {
    for (const v of [true, 1, 'x', [1], { a: 1 }]) assert.ok(truthy(v));
    for (const v of [false, 0, '', [], {}, null, undefined]) assert.ok(!truthy(v));
  });

  it('pidDiff sorts and splits pids', () => {
    assert.deepEqual(pidDiff([3, 1, 2], [2, 5, 4]), { stopped: [1, 3], started: [4, 5], kept: [2] });
  });

  it('option validation accepts the table of spec 2.0', () => {
    const ok = {
      numprocesses: 2, max_retry: true, warmup_delay: 0.5, uid: 'app', gid: 3, send_hup: false, env: { A: 'b' },
      hooks: { before_start: 'x' }, stdout_stream: { class: 'FileStream' }, 'stdout_stream.filename': 1,
      'hooks.after_start': 'y', rlimit_nofile: null, cmd: 'x', args: ['a'],
    };
    assert.equal(validateOptions(ok), ok);
    assert.throws(() => validateOptions([]), /'options' property should be an object/);
  });
});
