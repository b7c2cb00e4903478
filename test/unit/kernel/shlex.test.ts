import { strict as assert } from 'node:assert';
import { shlexQuote, shlexSplit } from '../../../kernel';

describe('kernel/process/shlex', () => {
  it('splits like Python shlex.split in POSIX mode', () => {
    assert.deepEqual(shlexSplit('a  b\tc'), ['a', 'b', 'c']);
    assert.deepEqual(shlexSplit(`'x y' "z \\" w" \\q`), ['x y', 'z " w', 'q']);
    assert.deepEqual(shlexSplit(`"a\\b" 'a\\b'`), ['a\\b', 'a\\b']);
    assert.deepEqual(shlexSplit('a#b # c'), ['a#b', '#', 'c'], '# is an ordinary character');
    assert.deepEqual(shlexSplit(`'' ""`), ['', '']);
    assert.deepEqual(shlexSplit(`ab'cd'"ef"`), ['abcdef']);
    assert.deepEqual(shlexSplit('echo ${HOME} $PATH'), ['echo', '${HOME}', '$PATH']);
    assert.deepEqual(shlexSplit(''), []);
  });

  it('rejects unterminated quotes and a trailing backslash', () => {
    assert.throws(() => shlexSplit('"abc'), /No closing quotation/);
    assert.throws(() => shlexSplit("'abc"), /No closing quotation/);
    assert.throws(() => shlexSplit('abc\\'), /No escaped character/);
  });

  it('quotes like shlex.quote', () => {
    assert.equal(shlexQuote('foo'), 'foo');
    assert.equal(shlexQuote('a_b@c%d+e=f:g,h./i-j'), 'a_b@c%d+e=f:g,h./i-j');
    assert.equal(shlexQuote(''), "''");
    assert.equal(shlexQuote('a b'), "'a b'");
    assert.equal(shlexQuote("it's"), `'it'"'"'s'`);
    assert.equal(shlexQuote('|'), "'|'");
    assert.equal(shlexQuote('$HOME'), "'$HOME'");
  });
});
