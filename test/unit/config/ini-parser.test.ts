import * as assert from 'assert';
import { ConfigError, IniDocument, parseIni, parseIniInto } from '../../../config';
import { catchConfigError, fixture } from './helpers';
import * as fs from 'fs';

describe('config/ini-parser: the Circus INI dialect (spec/daemon.md 1.2)', () => {
  const doc = parseIni(fs.readFileSync(fixture('dialect.ini'), 'utf8'), 'dialect.ini');
  const get = (key: string): string | undefined => doc.get('dialect', key)?.value;

  it('cuts an inline `;` comment only when whitespace precedes it', () => {
    assert.strictEqual(get('cmd'), 'foo');
    assert.strictEqual(get('semi'), 'x;y');
  });

  it('checks only the first `;` of a value', () => {
    assert.strictEqual(get('k'), 'a;b ; c');
  });

  it('never treats `#` as an inline comment', () => {
    assert.strictEqual(get('args'), '-q  # x');
  });

  it('reads comment lines starting with `#`, `;` and `rem` (any case) as comments', () => {
    assert.deepStrictEqual(doc.sections(), ['dialect']);
    assert.strictEqual(doc.get('dialect', 'rem'), undefined);
  });

  it('yields the empty string for `key =` and for the exact value `""`', () => {
    assert.strictEqual(get('empty'), '');
    assert.strictEqual(get('quoted_empty'), '');
  });

  it('keeps any other quotes literally', () => {
    assert.strictEqual(get('quoted'), '"x"');
    assert.strictEqual(get('single'), "'y'");
  });

  it('splits at the first `=` or `:`', () => {
    assert.strictEqual(get('colon'), 'value with: colon');
  });

  it('joins continuation lines with newlines, dropping blank ones and keeping indented `#` text', () => {
    assert.strictEqual(get('multi'), 'first\nsecond\n# third\nfourth ; tab-indented');
  });

  it('keeps the first occurrence of a key, also when the section is re-opened', () => {
    assert.strictEqual(get('dup'), 'first');
    assert.strictEqual(get('added'), 'later');
  });

  it('keeps keys case-sensitive', () => {
    assert.strictEqual(get('Cmd'), 'upper');
    assert.strictEqual(get('cmd'), 'foo');
  });

  it('allows spaces inside keys and keeps the leading spaces of an indented first option', () => {
    assert.strictEqual(get('spaced key'), 'spaced value');
    assert.strictEqual(get('  indented'), 'after a header this is an option line');
  });

  it('checks the character before a `;` at position 0 the way Python does (the last character)', () => {
    assert.strictEqual(get('lastsemi'), '');
  });

  it('ignores text after the last `]` of a header', () => {
    assert.strictEqual(doc.hasSection('dialect] trailing text is ignored'), false);
  });

  it('takes the section name up to the last `]`, verbatim', () => {
    const d = parseIni('[a]b] x\nk = v\n[ Spaced ]\nk = w\n');
    assert.deepStrictEqual(d.sections(), ['a]b', ' Spaced ']);
  });

  it('records the line of every value', () => {
    assert.strictEqual(doc.get('dialect', 'cmd')?.line, 6);
    assert.strictEqual(doc.get('dialect', 'cmd')?.file, 'dialect.ini');
  });

  it('lists a `__name__` pseudo-option holding the section name', () => {
    assert.strictEqual(get('__name__'), 'dialect');
    assert.strictEqual(doc.items('dialect')[0][0], '__name__');
  });

  it('makes [DEFAULT] options visible in every section unless overridden', () => {
    const d = parseIni('[DEFAULT]\nx = 1\ny = 2\n[s]\ny = 3\n');
    assert.strictEqual(d.get('s', 'x')?.value, '1');
    assert.strictEqual(d.get('s', 'y')?.value, '3');
    assert.deepStrictEqual(d.sections(), ['s']);
    assert.deepStrictEqual(
      d.items('s').map(([k, v]) => [k, v.value]),
      [['x', '1'], ['y', '3'], ['__name__', 's']],
    );
  });

  it('answers hasOption like Python: false for a missing section even when [DEFAULT] has the key', () => {
    const d = parseIni('[DEFAULT]\nx = 1\n[s]\n');
    assert.strictEqual(d.hasOption('s', 'x'), true);
    assert.strictEqual(d.hasOption('missing', 'x'), false);
  });

  it('accepts CRLF and CR line ends and a UTF-8 byte order mark', () => {
    const d = parseIni('\ufeff[s]\r\na = 1\r\n  more\rb = 2\r\n');
    assert.strictEqual(d.get('s', 'a')?.value, '1\nmore');
    assert.strictEqual(d.get('s', 'b')?.value, '2');
  });

  it('appends continuation lines of a losing duplicate to the first value of the same file', () => {
    const d = parseIni('[s]\na = 1\na = 2\n  extra\n');
    assert.strictEqual(d.get('s', 'a')?.value, '1\nextra');
  });

  it('lets the first file win over later ones (first key wins across files)', () => {
    const d = new IniDocument();
    assert.deepStrictEqual(parseIniInto(d, '[s]\na = main\n', 'main.ini'), []);
    assert.deepStrictEqual(parseIniInto(d, '[s]\na = included\n  cont\nb = new\n', 'inc.ini'), []);
    assert.strictEqual(d.get('s', 'a')?.value, 'main');
    assert.strictEqual(d.get('s', 'b')?.value, 'new');
  });

  it('reports every line that is neither a header nor an option, with file and line', () => {
    const err = catchConfigError(() => parseIni('[s]\nok = 1\nbad line\nalso bad\n', 'x.ini'));
    assert.strictEqual(err.code, 'CONFIG_INVALID');
    assert.deepStrictEqual(
      err.problems.map((p) => [p.file, p.line, p.section]),
      [
        ['x.ini', 3, 's'],
        ['x.ini', 4, 's'],
      ],
    );
    assert.match(err.message, /x\.ini:3: \[s\] 'bad line' is neither a section header nor an option/);
  });

  it('reports a line before the first header as a missing section header', () => {
    const err = catchConfigError(() => parseIni('k = v\n[s]\n', 'y.ini'));
    assert.strictEqual(err.problems.length, 1);
    assert.match(err.message, /y\.ini:1: missing section header before 'k = v'/);
  });

  it('is an instance of ConfigError with a code (never a bare Error)', () => {
    const err = catchConfigError(() => parseIni('[broken'));
    assert.ok(err instanceof ConfigError);
    assert.strictEqual(err.code, 'CONFIG_INVALID');
  });
});
