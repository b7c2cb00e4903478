import { strict as assert } from 'node:assert';
import { replaceGnuArgs } from '../../../config/substitute';
import { NullLogger, watcherRecord, WatcherOptions } from '../../../kernel';
import { buildCommandLine } from '../../../kernel/process/command-line';
import { runtimeVariables } from '../../../kernel/watcher/runtime-variables';
import { buildWatcherSettings } from '../../../kernel/watcher/watcher-settings';

const ctx = { processEnv: { HOME: '/home/me', PATH: '/usr/bin' }, cwd: '/', logger: new NullLogger() };

function argvOf(options: WatcherOptions, wid = 1): { file: string; argv: readonly string[]; warnings: readonly string[] } {
  const s = buildWatcherSettings(watcherRecord(options), ctx);
  return buildCommandLine({
    cmd: s.cmd,
    args: s.args,
    shell: s.shell,
    shellArgs: s.shell_args,
    executable: s.executable,
    env: s.env,
    variables: runtimeVariables(s, wid, { uid: null, gid: null, user: null }),
  });
}

describe('kernel/process/command-line (spec 2.3, 1.6.5)', () => {
  it('issue665: shell = true collapses argv into one quoted string, then shell_args', () => {
    assert.deepEqual(argvOf({ name: 'w', cmd: 'foo', args: '--fd', shell: true }).argv, ['/bin/sh', '-c', 'foo --fd']);
    assert.deepEqual(argvOf({ name: 'w', cmd: 'foo', args: '--fd', shell: true, shell_args: 'bar baz qux' }).argv.slice(2), [
      'foo --fd',
      'bar',
      'baz',
      'qux',
    ]);
  });

  it('Q12: shell syntax in cmd is neutralised by quoting', () => {
    assert.equal(argvOf({ name: 'w', cmd: "echo a '|' grep $HOME", shell: true }).argv[2], "echo a '|' grep '$HOME'");
  });

  it('tests/test_process: runtime variables in args use the watcher env', () => {
    const line = argvOf({ name: 'w', cmd: 'make-me-a-coffee', args: '$(circus.wid) --type $(circus.env.type)', env: { type: 'macchiato' } });
    assert.deepEqual(line.argv, ['make-me-a-coffee', '1', '--type', 'macchiato']);
    assert.deepEqual(argvOf({ name: 'w', cmd: 'yeah $(CIRCUS.WID)' }, 1).argv, ['yeah', '1']);
  });

  it('the live example of 2.3 item 7 (loader substitution, then runtime)', () => {
    const rawEnv = { A: '$HOME/x' };
    // The loader substitutes $(circus.env.*) in cmd/args with the raw [env] values first.
    const load = (text: string): string => replaceGnuArgs(text, { env: rawEnv });
    const options: WatcherOptions = {
      name: 'w',
      cmd: load('prog $(circus.wid) $(circus.env.A) $(CIRCUS.ENV.a) $WID ((circus.numprocesses)) $(circus.graceful_timeout) $(circus.unknown)'),
      args: load(`"x y" 'z' $(circus.wid)`),
      numprocesses: 2,
      env: rawEnv,
    };
    const line = argvOf(options);
    assert.deepEqual(line.argv, ['prog', '1', '$HOME/x', '$HOME/x', '$WID', '2', '30.0', '$(circus.unknown)', 'x y', 'z', '1']);
    assert.equal(line.warnings.length, 1, 'the $WID deprecation warning (Q11)');
    const s = buildWatcherSettings(watcherRecord(options), ctx);
    assert.equal(s.env.A, '/home/me/x', "the child's own A is expanded");
  });

  it('list args are substituted elementwise, not split', () => {
    assert.deepEqual(argvOf({ name: 'w', cmd: 'prog', args: ['a b', '$(circus.wid)'] }, 3).argv, ['prog', 'a b', '3']);
  });

  it('${X} is left alone (Q8) and executable only replaces the program', () => {
    const line = argvOf({ name: 'w', cmd: 'shown ${HOME}', executable: '/usr/bin/real' });
    assert.equal(line.file, '/usr/bin/real');
    assert.deepEqual(line.argv, ['shown', '${HOME}']);
  });

  it('shell_args with shell = false are ignored with a warning', () => {
    const line = argvOf({ name: 'w', cmd: 'prog', shell_args: 'x' });
    assert.deepEqual(line.argv, ['prog']);
    assert.match(line.warnings[0], /shell_args is ignored/);
  });

  it('renders floats and booleans the Python way', () => {
    const line = argvOf({ name: 'w', cmd: 'p $(circus.graceful_timeout) $(circus.respawn) $(circus.uid) $(circus.max_age)', graceful_timeout: 2.5 });
    assert.deepEqual(line.argv, ['p', '2.5', 'True', 'None', '0']);
  });
});
