import { strict as assert } from 'node:assert';
import { NullLogger, watcherRecord, WatcherOptions } from '../../../../kernel';
import { buildCommandLine } from '../../../../kernel/process/command-line';
import { runtimeVariables } from '../../../../kernel/watcher/runtime-variables';
import { buildWatcherSettings } from '../../../../kernel/watcher/watcher-settings';

const ctx = { processEnv: {}, cwd: '/', logger: new NullLogger() };

function argvOf(options: WatcherOptions, sockets: Record<string, number>): readonly string[] {
  const s = buildWatcherSettings(watcherRecord(options), ctx);
  return buildCommandLine({
    cmd: s.cmd,
    args: s.args,
    shell: s.shell,
    shellArgs: s.shell_args,
    executable: s.executable,
    env: s.env,
    variables: runtimeVariables(s, 1, { uid: null, gid: null, user: null }, sockets),
  }).argv;
}

describe('kernel sockets: $(circus.sockets.NAME) in the command line (spec 1.6.5, 3.3)', () => {
  it('issue310: args = --fd $(circus.sockets.web) gives the fd number', () => {
    assert.deepEqual(argvOf({ name: 'w', cmd: 'foo', args: '--fd $(circus.sockets.web)' }, { web: 5 }), ['foo', '--fd', '5']);
  });

  it('issue546: the reference works in cmd too, in either case, next to other variables', () => {
    assert.deepEqual(argvOf({ name: 'w', cmd: 'foo --fd $(CIRCUS.SOCKETS.WEB) --wid $(circus.wid)' }, { web: 12 }), ['foo', '--fd', '12', '--wid', '1']);
  });

  it('an unknown socket name is left as written', () => {
    assert.deepEqual(argvOf({ name: 'w', cmd: 'foo $(circus.sockets.nope)' }, { web: 5 }), ['foo', '$(circus.sockets.nope)']);
  });

  it('stdin_socket is a watcher option, not a free-form key', () => {
    const s = buildWatcherSettings(watcherRecord({ name: 'w', cmd: 'foo', stdin_socket: 'web' }), ctx);
    assert.equal(s.stdin_socket, 'web');
    assert.equal('stdin_socket' in s.extra, false);
  });
});
