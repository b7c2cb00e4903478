import { strict as assert } from 'node:assert';
import { buildWatcherEnv, expandUpperVars } from '../../../kernel/process/env';

describe('kernel/process/env (spec 1.6.3, 2.2)', () => {
  const penv = { PATH: '/usr/bin', F_1: 'one', HOME: '/root' };

  it('expands $UPPER names from the circusd env only', () => {
    assert.equal(expandUpperVars('$PATH:/bin', penv), '/usr/bin:/bin');
    assert.equal(expandUpperVars('$path ${PATH} $1', penv), '$path ${PATH} $1');
    assert.equal(expandUpperVars('$F_1x', penv), 'onex');
    assert.equal(expandUpperVars('[$UNSET_NAME]', penv), '[]');
  });

  it('without copy_env the config env is the whole env; values and keys are trimmed', () => {
    assert.deepEqual(buildWatcherEnv({ ' A ': ' $HOME/x ', B: 'b' }, false, penv), { A: '/root/x', B: 'b' });
    assert.deepEqual(buildWatcherEnv({}, false, penv), {});
  });

  it('with copy_env inherited values are rewritten and trimmed too (Q10)', () => {
    const env = buildWatcherEnv({ B: 'mine' }, true, { ...penv, PS1: '  $HOME> ' });
    assert.equal(env.PS1, '/root>');
    assert.equal(env.B, 'mine');
    assert.equal(env.PATH, '/usr/bin');
  });
});
