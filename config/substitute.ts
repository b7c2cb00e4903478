/**
 * `$(circus.KEY)` / `((circus.KEY))` substitution (spec/daemon.md 1.6.1) and
 * the Python `str()` rendering of substituted values. Shared by the loader
 * (config time) and the kernel (runtime variables at every spawn, 1.6.5).
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

export type PyScalar = string | number | boolean | null | undefined | PyFloat;
export type PyValue = PyScalar | readonly PyScalar[] | { readonly [key: string]: PyScalar };

/**
 * Python's `repr(float)`: shortest round-trip digits, fixed notation when the
 * decimal exponent is in [-4, 16), scientific (`1e-05`, `1e+16`) otherwise.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let out: string;
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1);
      out = `${intPart}.${frac || '0'}`;
    } else {
      out = `0.${'0'.repeat(-exp - 1)}${digits}`;
    }
  } else {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, '0');
    out = `${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  return negative ? `-${out}` : out;
}

/** Python `str()` of a scalar: ints as decimal, floats as repr, True/False, None. */
export function pyStr(value: PyValue): string {
  if (value === null || value === undefined) return 'None';
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloatRepr(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, PyScalar>);
  return `{${entries.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
}

function pyRepr(value: PyScalar): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return pyStr(value);
}

/**
 * Builds the lookup table of 1.6.1: each named value `V` becomes
 * `circus.<v lower-cased>`; a map value also gives `circus.<v>.<subkey
 * lower-cased>` (one level). Later entries win on case collisions.
 */
export function buildLookup(
  values: Readonly<Record<string, PyValue>>,
  prefix = 'circus',
): Map<string, string> {
  const table = new Map<string, string>();
  const head = prefix ? `${prefix.toLowerCase()}.` : '';
  for (const [name, value] of Object.entries(values)) {
    const key = `${head}${name.toLowerCase()}`;
    table.set(key, pyStr(value));
    if (value !== null && typeof value === 'object' && !(value instanceof PyFloat) && !Array.isArray(value)) {
      for (const [sub, subValue] of Object.entries(value as Record<string, PyScalar>)) {
        table.set(`${key}.${sub.toLowerCase()}`, pyStr(subValue));
      }
    }
  }
  return table;
}

/**
 * Replaces `$(PREFIX.KEY)` and `((PREFIX.KEY))` tokens (case-insensitive) by
 * their value in `values`; unknown keys stay verbatim. One pass: substituted
 * text is not rescanned.
 */
export function replaceGnuArgs(
  text: string,
  values: Readonly<Record<string, PyValue>>,
  prefix = 'circus',
): string {
  return replaceWithLookup(text, buildLookup(values, prefix), prefix);
}

/** The same as {@link replaceGnuArgs} with a lookup table built once. */
export function replaceWithLookup(text: string, table: ReadonlyMap<string, string>, prefix = 'circus'): string {
  if (!text.includes('$(') && !text.includes('((')) return text;
  const head = prefix ? `${escapeRegExp(prefix)}\\.` : '';
  const pattern = new RegExp(`\\$\\((${head}[\\w.-]+)\\)|\\(\\((${head}[\\w.-]+)\\)\\)`, 'gi');
  return text.replace(pattern, (whole: string, a?: string, b?: string) => {
    const key = (a ?? b ?? '').toLowerCase();
    const found = table.get(key);
    return found === undefined ? whole : found;
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
