import * as assert from 'assert';
import { CastError, signalName, toBool, toFloat, toInt, toSignum } from '../../../config';

describe('config/cast: Python casting rules (spec/daemon.md 1.5)', () => {
  describe('toBool', () => {
    it('accepts yes/true/on/1 and no/false/off/0 in any case with surrounding spaces', () => {
      for (const t of ['yes', 'TRUE', 'On', '1', ' true ']) assert.strictEqual(toBool(t), true, t);
      for (const f of ['no', 'False', 'OFF', '0', '\tno\n']) assert.strictEqual(toBool(f), false, f);
    });

    it('rejects anything else, including the empty string', () => {
      for (const bad of ['', 'y', 'n', '2', 'truthy', 'nope']) {
        assert.throws(() => toBool(bad), CastError, bad);
      }
    });
  });

  describe('toInt', () => {
    it('accepts signs, surrounding whitespace, leading zeros and `_` between digits', () => {
      assert.strictEqual(toInt('42'), 42);
      assert.strictEqual(toInt(' -7 '), -7);
      assert.strictEqual(toInt('+3'), 3);
      assert.strictEqual(toInt('007'), 7);
      assert.strictEqual(toInt('1_000'), 1000);
      assert.strictEqual(toInt('-0'), 0);
    });

    it('rejects what Python int() rejects (never parseInt leniency)', () => {
      for (const bad of ['', ' ', '5abc', '2.5', '1e3', '0x10', '_1', '1_', '1__0', 'two', '--1', '+']) {
        assert.throws(() => toInt(bad), CastError, JSON.stringify(bad));
      }
    });

    it('parses base 8 with an optional 0o prefix, as the [circus] umask needs', () => {
      assert.strictEqual(toInt('022', 8), 0o22);
      assert.strictEqual(toInt('0', 8), 0);
      assert.strictEqual(toInt('0o777', 8), 0o777);
      assert.throws(() => toInt('089', 8), CastError);
      assert.throws(() => toInt('', 8), CastError);
    });
  });

  describe('toFloat', () => {
    it('accepts decimals, exponents, `_` between digits, inf and nan', () => {
      assert.strictEqual(toFloat('10.5'), 10.5);
      assert.strictEqual(toFloat(' 30 '), 30);
      assert.strictEqual(toFloat('.5'), 0.5);
      assert.strictEqual(toFloat('5.'), 5);
      assert.strictEqual(toFloat('1e3'), 1000);
      assert.strictEqual(toFloat('-2.5E-1'), -0.25);
      assert.strictEqual(toFloat('1_000.000_1'), 1000.0001);
      assert.strictEqual(toFloat('inf'), Infinity);
      assert.strictEqual(toFloat('-Infinity'), -Infinity);
      assert.ok(Number.isNaN(toFloat('NaN')));
    });

    it('rejects what Python float() rejects', () => {
      for (const bad of ['', 'soon', '1e', '1.2.3', '0x1p3', '1_', '_1', '.', 'e5', '1 2']) {
        assert.throws(() => toFloat(bad), CastError, JSON.stringify(bad));
      }
    });
  });

  describe('toSignum (stop_signal)', () => {
    it('accepts integers and integer strings', () => {
      assert.strictEqual(toSignum('3'), 3);
      assert.strictEqual(toSignum(' 15 '), 15);
    });

    it('accepts names with or without SIG, in any case', () => {
      assert.strictEqual(toSignum('INT'), 2);
      assert.strictEqual(toSignum('sigint'), 2);
      assert.strictEqual(toSignum('quit'), 3);
      assert.strictEqual(toSignum('SIGTERM'), 15);
      assert.strictEqual(toSignum('Kill'), 9);
    });

    it('takes only the leading word run as the name', () => {
      assert.strictEqual(toSignum('TERM foo'), 15);
    });

    it('adds a `+N` offset', () => {
      assert.strictEqual(toSignum('SIGTERM+1'), 16);
      if (process.platform === 'linux') assert.strictEqual(toSignum('SIGRTMIN+1'), 35);
    });

    it('rejects unknown names, the empty string and leading spaces before a name', () => {
      for (const bad of ['', 'NOTASIGNAL', ' INT', '+INT']) assert.throws(() => toSignum(bad), CastError, bad);
    });

    it('names numbers back, preferring canonical names over aliases', () => {
      assert.strictEqual(signalName(15), 'SIGTERM');
      assert.strictEqual(signalName(6), 'SIGABRT');
      assert.strictEqual(signalName(17), process.platform === 'linux' ? 'SIGCHLD' : signalName(17));
      if (process.platform === 'linux') assert.strictEqual(signalName(35), 'SIGRTMIN+1');
      assert.strictEqual(signalName(999), undefined);
    });
  });
});
