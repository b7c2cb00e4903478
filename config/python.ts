/**
 * Python's rendering of values -- `repr(float)`, `repr(str)`, `repr(bytes)`,
 * `str(value)` -- in one place. Circus prints these in substituted config
 * values, error reasons and circusctl output, and a user comparing the two
 * implementations byte for byte must see what Python prints (spec/protocol.md,
 * "Conventions"). This is the bottom layer: config, kernel, protocol, plugins
 * and cli all import it, so it imports nothing of the project.
 */

/** A number that Python holds as a float, so it renders as `30.0`, not `30`. */
export class PyFloat {
  constructor(readonly value: number) {}
  toString(): string {
    return pyFloatRepr(this.value);
  }
  toJSON(): number {
    return this.value;
  }
}

/** Marks a number as a Python float for rendering. */
export function pyFloat(value: number): PyFloat {
  return new PyFloat(value);
}

/** A scalar a Circus config or runtime variable can hold. */
export type PyScalar = string | number | boolean | null | undefined | PyFloat;
/** A substitutable value: a scalar, a list of scalars or a one-level dict. */
export type PyValue = PyScalar | readonly PyScalar[] | { readonly [key: string]: PyScalar };

/**
 * Python's `repr(float)`: the shortest digits that round-trip, scientific
 * notation (`1e-05`, `1e+16`) when the decimal exponent is below -4 or at
 * least 16, otherwise positional with at least one fractional digit;
 * `nan`, `inf`, `-inf` for the non-finite values.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // toExponential() without an argument yields the shortest round-trip digits.
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exp < -4 || exp >= 16) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return `${sign}${digits}${'0'.repeat(intLen - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/** An integral number as Python prints an int: in full, never in exponent form (`1e21` is `1000...0`). */
export function pyIntRepr(n: number): string {
  if (Object.is(n, -0)) return '0';
  return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
}

/**
 * Characters Python's `str.isprintable()` rejects: the Unicode categories
 * Other (Cc, Cf, Cs, Co, Cn) and Separator (Zl, Zp, Zs) -- except the ASCII
 * space, which Python keeps.
 */
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Python's quote choice: single quotes unless the text has a `'` and no `"`. */
function quoteFor(hasSingle: boolean, hasDouble: boolean): "'" | '"' {
  return hasSingle && !hasDouble ? '"' : "'";
}

/** The escape Python's repr writes for `ch` (code point `cp`), or undefined to keep it. */
function strEscape(ch: string, cp: number, quote: string): string | undefined {
  if (ch === quote || ch === '\\') return `\\${ch}`;
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  // Printable ASCII is the common case: skip the Unicode-property test for it.
  if (cp >= 0x20 && cp < 0x7f) return undefined;
  if (!NON_PRINTABLE.test(ch)) return undefined;
  if (cp < 0x100) return `\\x${hex(cp, 2)}`;
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
  return `\\U${hex(cp, 8)}`;
}

/** Python 3 `repr()` of a str: quotes, backslash escapes, `\xNN`/`\uNNNN`/`\UNNNNNNNN` for non-printables. */
export function pyStrRepr(text: string): string {
  const quote = quoteFor(text.includes("'"), text.includes('"'));
  let out = quote;
  // for..of walks code points, so an astral character is one unit and a
  // lone surrogate (possible after JSON "\ud800") is escaped on its own.
  for (const ch of text) out += strEscape(ch, ch.codePointAt(0) as number, quote) ?? ch;
  return out + quote;
}

/** Python 3 `repr()` of a bytes object: `b'...'`, printable ASCII kept, the rest as `\xNN`. */
export function pyBytesRepr(bytes: Uint8Array): string {
  const quote = quoteFor(bytes.includes(0x27), bytes.includes(0x22));
  let out = `b${quote}`;
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b < 0x20 || b >= 0x7f) out += `\\x${hex(b, 2)}`;
    else out += ch;
  }
  return out + quote;
}

/** Python `repr()` of a JSON-like value: strings quoted, everything else as {@link pyStr}. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return pyStrRepr(value);
  return pyStr(value);
}

/**
 * Python `str()` of a JSON-like value: `None`, `True`, ints in full, floats
 * (non-integral numbers and {@link PyFloat}) as repr, strings as they are,
 * lists and dicts (objects or Maps, in insertion order) with their items as repr.
 */
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? pyIntRepr(value) : pyFloatRepr(value);
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v)).join(', ')}]`;
  const entries: [unknown, unknown][] = value instanceof Map ? [...value] : Object.entries(value);
  return `{${entries.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
}
