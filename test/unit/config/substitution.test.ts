import * as assert from 'assert';
import { loadFixture, loadText, TempDir } from './helpers';

describe('config: $(circus.env.*) substitution while loading (spec/daemon.md 1.6)', () => {
  const tmp = new TempDir();
  after(() => tmp.cleanup());

  it('supports both spellings and any case of the token', () => {
    const { config } = loadText(
      tmp,
      '[watcher:w]\ncmd = $(circus.env.GRAVITY) ((circus.env.gravity)) $(CIRCUS.ENV.Gravity) $(Circus.Env.GRAVITY)\n',
      { GRAVITY: 'down' },
    );
    assert.strictEqual(config.watchers[0].cmd, 'down down down down');
  });

  it('resolves from the process env without any [env] section (8.1 #21, issue567)', () => {
    const { config } = loadText(tmp, '[watcher:w]\ncmd = $(circus.env.GRAVITY)\n', { GRAVITY: 'down' });
    assert.strictEqual(config.watchers[0].cmd, 'down');
  });

  it('leaves unknown keys verbatim so runtime variables survive', () => {
    const { config } = loadText(
      tmp,
      '[watcher:w]\ncmd = run $(circus.wid) $(circus.sockets.web) $(circus.env.UNSET) ((circus.env.UNSET))\n',
    );
    assert.strictEqual(config.watchers[0].cmd, 'run $(circus.wid) $(circus.sockets.web) $(circus.env.UNSET) ((circus.env.UNSET))');
  });

  it('never treats ${X} or $X as substitution syntax in options (1.6.4)', () => {
    const { config } = loadText(tmp, '[watcher:w]\ncmd = echo ${HOME} $HOME\n');
    assert.strictEqual(config.watchers[0].cmd, 'echo ${HOME} $HOME');
  });

  it('does a single pass: substituted text is not rescanned', () => {
    const { config } = loadText(tmp, '[watcher:w]\ncmd = $(circus.env.A)\n', { A: '$(circus.env.B)', B: 'no' });
    assert.strictEqual(config.watchers[0].cmd, '$(circus.env.B)');
  });

  it('resolves [circus] from the process env and watcher uid/gid from [env] and [env:NAME] (8.1 #15, issue442)', () => {
    const { config } = loadFixture('issue442.ini', {
      circus_stats_endpoint: 'tcp://127.0.0.1:5558',
      circus_statsd: 'True',
      circus_uid: 'uid-from-process',
      circus_gid: 'gid-from-process',
    });
    assert.strictEqual(config.stats_endpoint, 'tcp://127.0.0.1:5558');
    assert.strictEqual(config.statsd, true);
    assert.strictEqual(config.watchers[0].uid, 'uid-from-env-section');
    assert.strictEqual(config.watchers[0].gid, 'gid-from-env-my-app');
  });

  it('makes [env] values usable in [circus], [socket:*] and [plugin:*] (8.1 #18, env_everywhere)', () => {
    const { config } = loadFixture('env_everywhere.ini');
    assert.strictEqual(config.endpoint, 'tcp://127.0.0.1:7555');
    assert.strictEqual(config.sockets[0].path, '/tmp/circus-test.sock');
    assert.strictEqual(config.plugins[0].use, 'circus.plugins.flapping.Flapping');
  });

  it('expands stream options with [env:*] values (8.1 #16, expand_vars)', () => {
    const { config } = loadFixture('expand_vars.ini');
    assert.strictEqual(config.watchers[0].stdout_stream.filename, '/var/log/circus-test/echo.log');
  });

  it('substitutes [env] values against the process env only (they cannot reference each other)', () => {
    const { config } = loadText(
      tmp,
      '[env]\nA = $(circus.env.HOME)/a\nB = $(circus.env.A)/b\n[watcher:w]\ncmd = x\n',
    );
    assert.strictEqual(config.watchers[0].env.A, '/home/tester/a');
    assert.strictEqual(config.watchers[0].env.B, '$(circus.env.A)/b');
  });

  it('does not substitute [env:...] values, stop_signal, rlimit_* or hooks.* (quirk Q9)', () => {
    const { config } = loadText(
      tmp,
      '[watcher:w]\ncmd = x\nhooks.before_start = $(circus.env.HOOK)\n[env:w]\nX = $(circus.env.HOME)\n',
      { HOOK: 'resolved' },
    );
    assert.deepStrictEqual(config.watchers[0].hooks.before_start, ['$(circus.env.HOOK)', false]);
    assert.strictEqual(config.watchers[0].env.X, '$(circus.env.HOME)');
  });

  it('fails on a substituted stop_signal because it is never substituted', () => {
    assert.throws(() => loadText(tmp, '[watcher:w]\ncmd = x\nstop_signal = $(circus.env.SIG)\n', { SIG: 'INT' }), /invalid signal/);
  });

  it('casts typed watcher options after substitution from the global env, never [env:NAME]', () => {
    const ok = loadText(tmp, '[env]\nN = 4\n[watcher:w]\ncmd = x\nnumprocesses = $(circus.env.N)\n');
    assert.strictEqual(ok.config.watchers[0].numprocesses, 4);
    assert.throws(
      () => loadText(tmp, '[watcher:w]\ncmd = x\nnumprocesses = $(circus.env.N)\n[env:w]\nN = 4\n'),
      /numprocesses: invalid integer '\$\(circus\.env\.N\)'/,
    );
  });

  it('substitutes free-form options and __name__ with the watcher env', () => {
    const { config } = loadText(tmp, '[watcher:w]\ncmd = x\nflapping.attempts = $(circus.env.TRIES)\n[env:w]\nTRIES = 3\n');
    assert.strictEqual(config.watchers[0]['flapping.attempts'], '3');
    assert.strictEqual(config.watchers[0].__name__, 'watcher:w');
  });

  it('looks env names up case-insensitively (lower-cased lookup keys)', () => {
    const { config } = loadText(tmp, '[watcher:w]\ncmd = $(circus.env.path)\n');
    assert.strictEqual(config.watchers[0].cmd, '/usr/local/bin:/usr/bin:/bin');
  });
});
