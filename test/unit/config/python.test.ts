/** config/python.ts: Python's repr(float), repr(str), repr(bytes), str() and repr() of values. */
import { strict as assert } from 'node:assert';
import { FINITE_FLOAT_REPRS } from '../../support/py-floats';
import { PyFloat, pyBytesRepr, pyFloat, pyFloatRepr, pyIntRepr, pyRepr, pyStr, pyStrRepr } from '../../../config/python';

describe('config/python: repr(float)', () => {
  const floats: (readonly [number, string])[] = [
    ...FINITE_FLOAT_REPRS,
    [NaN, 'nan'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ];
  for (const [n, text] of floats) {
    it(`repr(float(${n})) is ${text}`, () => {
      assert.equal(pyFloatRepr(n), text);
      assert.equal(String(pyFloat(n)), text);
    });
  }

  it('ints print in full, never in exponent form', () => {
    assert.equal(pyIntRepr(1e21), '1000000000000000000000');
    assert.equal(pyIntRepr(-0), '0');
    assert.equal(pyIntRepr(-42), '-42');
  });
});

describe('config/python: Python 3 repr() of str and bytes', () => {
  const strCases: [string, string][] = [
    ['foo', "'foo'"],
    ["Fooé'", `"Fooé'"`],
    ['a"b', `'a"b'`],
    [`a'b"c`, `'a\\'b"c'`],
    ['', "''"],
    ['\n\r\t\\', "'\\n\\r\\t\\\\'"],
    ['a\nb\\', "'a\\nb\\\\'"],
    ['\x00\x1b\x7f', "'\\x00\\x1b\\x7f'"],
    ['a b', "'a b'"],
    ['\u00a0', "'\\xa0'"],
    ['\u200b', "'\\u200b'"],
    ['\u2028', "'\\u2028'"],
    ['\u{e0001}', "'\\U000e0001'"],
    ['\ud800', "'\\ud800'"],
    ['😀 é ü 中', "'😀 é ü 中'"],
  ];
  for (const [input, expected] of strCases) {
    it(`repr(${JSON.stringify(input)}) is ${expected}`, () => {
      assert.equal(pyStrRepr(input), expected);
      assert.equal(pyRepr(input), expected);
    });
  }

  it('bytes: printable ASCII kept, quotes chosen like str, everything else as \\xNN', () => {
    assert.equal(pyBytesRepr(Buffer.from('{"command": "add"}')), `b'{"command": "add"}'`);
    assert.equal(pyBytesRepr(Buffer.from('watcher.web.spawn')), "b'watcher.web.spawn'");
    assert.equal(pyBytesRepr(Buffer.from('{"a": "é"}')), `b'{"a": "\\xc3\\xa9"}'`);
    assert.equal(pyBytesRepr(Buffer.from("it's")), `b"it's"`);
    assert.equal(pyBytesRepr(Buffer.from(`it's "x"`)), `b'it\\'s "x"'`);
    assert.equal(pyBytesRepr(Buffer.from('é\n\t\\')), "b'\\xc3\\xa9\\n\\t\\\\'");
    assert.equal(pyBytesRepr(Buffer.from([0, 0x7f, 0xff])), "b'\\x00\\x7f\\xff'");
    assert.equal(pyBytesRepr(Buffer.alloc(0)), "b''");
  });
});

describe('config/python: str() and repr() of values', () => {
  it('str() of scalars', () => {
    assert.equal(pyStr(true), 'True');
    assert.equal(pyStr(false), 'False');
    assert.equal(pyStr(null), 'None');
    assert.equal(pyStr(undefined), 'None');
    assert.equal(pyStr(new PyFloat(30)), '30.0');
    assert.equal(pyStr(new PyFloat(1e-5)), '1e-05');
    assert.equal(pyStr(7), '7');
    assert.equal(pyStr(0.5), '0.5');
    assert.equal(pyStr(1e21), '1000000000000000000000');
    assert.equal(pyStr("it's"), "it's");
  });

  it('str() of lists and dicts writes the items as repr', () => {
    assert.equal(pyStr(['a', 1, null, new PyFloat(2)]), "['a', 1, None, 2.0]");
    assert.equal(pyStr({ class: 'FileStream', n: false }), "{'class': 'FileStream', 'n': False}");
    assert.equal(pyStr(new Map<unknown, unknown>([['10', 1], [2, 'x']])), "{'10': 1, 2: 'x'}");
    assert.equal(pyStr([]), '[]');
    assert.equal(pyStr({}), '{}');
  });

  it('strings inside lists and dicts get the exact repr (quote choice, escapes)', () => {
    assert.equal(pyStr(["it's", 'a\nb', '\x00']), `["it's", 'a\\nb', '\\x00']`);
    assert.equal(pyStr({ "k'": 'a"b' }), `{"k'": 'a"b'}`);
  });

  it('repr() of nested values, as Circus embeds them in reasons', () => {
    assert.equal(pyRepr({ a: [1, true, null, "it's"] }), `{'a': [1, True, None, "it's"]}`);
    assert.equal(pyRepr(['x', [0.5, new PyFloat(1)]]), "['x', [0.5, 1.0]]");
  });
});
