/**
 * Value casting with Python's rules (spec/daemon.md 1.5). Circus converts
 * with `int()`, `float()` and its `to_bool`, so a config that Circus accepts
 * must be accepted here and one it rejects must be rejected: `parseInt` and
 * `Number` are both wrong for this (`parseInt('5abc')` is 5, `Number('')`
 * is 0, `Number('0x10')` is 16).
 */

/** Thrown by the casting helpers; the loader turns it into a located problem. */
export class CastError extends Error {
  override readonly name = 'CastError';
}

const TRUTHY = new Set(['yes', 'true', 'on', '1']);
const FALSY = new Set(['no', 'false', 'off', '0']);

/** Circus `to_bool`: `yes/true/on/1` and `no/false/off/0`, any case, surrounding whitespace allowed. */
export function toBool(text: string): boolean {
  const t = text.toLowerCase().trim();
  if (TRUTHY.has(t)) return true;
  if (FALSY.has(t)) return false;
  throw new CastError(`invalid boolean ${quote(text)} (expected true/false, yes/no, on/off or 1/0)`);
}

const DIGITS: Record<number, RegExp> = {
  2: /^[01](_?[01])*$/,
  8: /^[0-7](_?[0-7])*$/,
  10: /^[0-9](_?[0-9])*$/,
  16: /^[0-9a-f](_?[0-9a-f])*$/i,
};
const PREFIX: Record<number, string> = { 2: '0b', 8: '0o', 16: '0x' };

/**
 * Python `int(text, base)` for bases 10 and 8 (and 2/16): surrounding
 * whitespace, an optional sign, `_` between digits; in base 8 an optional
 * `0o` prefix. Base 10 allows leading zeros (`int('007')` is 7).
 */
export function toInt(text: string, base: 2 | 8 | 10 | 16 = 10): number {
  let t = text.trim();
  let sign = 1;
  if (t.startsWith('+') || t.startsWith('-')) {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  const prefix = PREFIX[base];
  if (prefix && t.toLowerCase().startsWith(prefix)) {
    t = t.slice(2);
    if (t.startsWith('_')) t = t.slice(1); // Python allows `0o_17`
  }
  if (!DIGITS[base].test(t)) {
    const what = base === 10 ? 'integer' : `base-${base} integer`;
    throw new CastError(`invalid ${what} ${quote(text)}`);
  }
  const value = sign * parseInt(t.replace(/_/g, ''), base);
  return Object.is(value, -0) ? 0 : value;
}

const FLOAT = /^([0-9](_?[0-9])*(\.([0-9](_?[0-9])*)?)?|\.[0-9](_?[0-9])*)([eE][+-]?[0-9](_?[0-9])*)?$/;

/** Python `float(text)`: decimal or exponent notation, `_` between digits, `inf`/`infinity`/`nan`. */
export function toFloat(text: string): number {
  let t = text.trim();
  let sign = 1;
  if (t.startsWith('+') || t.startsWith('-')) {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  const lower = t.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') return sign * Infinity;
  if (lower === 'nan') return NaN;
  if (!FLOAT.test(t)) throw new CastError(`invalid number ${quote(text)}`);
  return sign * Number(t.replace(/_/g, ''));
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
