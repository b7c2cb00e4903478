import * as assert from 'assert';
import { buildChildEnv, envFromRecord, expandBashVars } from '../../../config';
import { loadText, TempDir } from './helpers';

describe('config/env: bash-style $NAME expansion for watcher creation (spec/daemon.md 1.6.3, 2.2)', () => {
  const proc = envFromRecord({ PATH: '/usr/bin:/bin', HOME: '/home/tester', F_1: 'one', EMPTY: '', lower: 'x' });

  it('expands `PATH = $PATH:/bin` from the process env (8.1 #11)', () => {
    assert.strictEqual(expandBashVars('$PATH:/bin', proc), '/usr/bin:/bin:/bin');
  });

  it('leaves $lower, ${X} and $1 alone', () => {
    assert.strictEqual(expandBashVars('$lower ${HOME} $1', proc), '$lower ${HOME} $1');
  });

  it('takes the longest [A-Z][A-Z0-9_]* run and replaces unset variables by the empty string', () => {
    assert.strictEqual(expandBashVars('$F_1x', proc), 'onex');
    assert.strictEqual(expandBashVars('[$UNSET_VAR]', proc), '[]');
  });

  it('builds the child env: config env alone without copy_env, trimmed', () => {
    assert.deepStrictEqual(
      [...buildChildEnv({ ' A ': ' $HOME/a ', B: '$UNSET' }, false, proc)],
      [
        ['A', '/home/tester/a'],
        ['B', ''],
      ],
    );
  });

  it('builds the child env: process env overlaid with the config env under copy_env (quirk Q10 included)', () => {
    const env = buildChildEnv({ HOME: '/other' }, true, envFromRecord({ HOME: '/h', PS1: '$HOME  ' }));
    assert.strictEqual(env.get('HOME'), '/other');
    assert.strictEqual(env.get('PS1'), '/h', 'inherited $UPPER text is rewritten and trimmed');
  });

  describe('with the loader', () => {
    const tmp = new TempDir();
    after(() => tmp.cleanup());

    it('gives each watcher of env_section-like configs PATH = process PATH + :/bin once expanded (8.1 #12)', () => {
      const { config } = loadText(tmp, '[watcher:watcher1]\ncmd = x\n[env:watcher1,watcher2]\nPATH = $PATH:/bin\n');
      const child = buildChildEnv(config.watchers[0].env, config.watchers[0].copy_env, envFromRecord({ PATH: '/p' }));
      assert.strictEqual(child.get('PATH'), '/p:/bin');
    });

    it('puts __name__=env into the global env seen by copy_env watchers', () => {
      const { config } = loadText(tmp, '[env]\nA = 1\n[watcher:w]\ncmd = x\ncopy_env = true\n');
      assert.strictEqual(config.watchers[0].env.__name__, 'env');
      assert.strictEqual(config.watchers[0].env.HOME, '/home/tester');
    });

    it('lets [DEFAULT] keys leak into [env] as Python configparser does', () => {
      const { config } = loadText(tmp, '[DEFAULT]\nshared = 1\n[env]\nA = 1\n[watcher:w]\ncmd = x\n');
      assert.deepStrictEqual(config.watchers[0].env, { shared: '1', __name__: 'env', A: '1' });
    });
  });
});
