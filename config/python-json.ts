/**
 * Python's `json.dumps` (ensure_ascii, allow_nan; separators `", "`/`": "`,
 * or `","`/`": "` with an indent), so the JSON we print matches Circus byte
 * for byte: `circusd --print-config`, the daemon's replies and circusctl's
 * `--json` output. It lives in the bottom layer so config (which may not
 * import protocol/) shares it; protocol/py-json.ts adds the wire's float
 * fields on top.
 */
import { PyFloat, pyFloatRepr, pyIntRepr } from './python';

/** How {@link pyJsonDumps} lays its text out. */
export interface PyJsonOptions {
  /** `indent=`: one item a line, indented this many spaces a level; undefined = one line. */
  readonly indent?: number;
  /** `sort_keys=True`: keys in code-point order instead of insertion order. */
  readonly sortKeys?: boolean;
  /**
   * Keys whose numbers Python holds as floats: an integral number directly
   * under such a key (at any depth, not inside a list under it) is written `5.0`.
   */
  readonly floatKey?: (key: string) => boolean;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** A JSON string with ensure_ascii: everything outside printable ASCII as `\uXXXX` (UTF-16 units, lower-case hex). */
export function pyJsonString(text: string): string {
  // Python's ESCAPE_ASCII: `\\`, `"` and anything not in ' '..'~'.
  return `"${text.replace(/[\\"]|[^\x20-\x7e]/g, (ch) => {
    return SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  })}"`;
}

/** A float as json.dumps writes it: repr, but `NaN`/`Infinity`/`-Infinity` for the non-finite ones. */
export function pyJsonFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return pyFloatRepr(n);
}

/** Python compares str keys by code point; JS `<` compares UTF-16 units (astral vs U+E000.. differ). */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i].codePointAt(0) as number) - (y[i].codePointAt(0) as number);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function isSkipped(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

class Writer {
  private readonly ancestors = new Set<object>();

  constructor(private readonly opts: PyJsonOptions) {}

  value(value: unknown, asFloat: boolean, depth: number): string {
    if (value === null || isSkipped(value)) return 'null';
    if (value instanceof PyFloat) return pyJsonFloat(value.value);
    switch (typeof value) {
      case 'boolean':
        return value ? 'true' : 'false';
      case 'number':
        return asFloat || !Number.isInteger(value) ? pyJsonFloat(value) : pyIntRepr(value);
      case 'bigint':
        return value.toString();
      case 'string':
        return pyJsonString(value);
    }
    const obj = value as object;
    if (this.ancestors.has(obj)) throw new TypeError('Circular reference detected');
    this.ancestors.add(obj);
    try {
      return this.container(obj, asFloat, depth);
    } finally {
      this.ancestors.delete(obj);
    }
  }

  private container(obj: object, asFloat: boolean, depth: number): string {
    if (Array.isArray(obj)) {
      // Under a float key (e.g. `started`) a list holds pids: ints, not floats.
      return this.join('[', obj.map((item) => this.value(item, false, depth + 1)), ']', depth);
    }
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return this.value(toJSON.call(obj), asFloat, depth);
    // A Map keeps integer-like keys (pids) in insertion order, as a Python dict does.
    let entries: [string, unknown][] = obj instanceof Map ? [...obj].map(([k, v]) => [String(k), v]) : Object.entries(obj);
    entries = entries.filter(([, v]) => !isSkipped(v));
    if (this.opts.sortKeys) entries.sort(([a], [b]) => compareCodePoints(a, b));
    const floatKey = this.opts.floatKey ?? (() => false);
    const items = entries.map(([k, v]) => `${pyJsonString(k)}: ${this.value(v, floatKey(k), depth + 1)}`);
    return this.join('{', items, '}', depth);
  }

  private join(open: string, items: string[], close: string, depth: number): string {
    if (this.opts.indent === undefined) return `${open}${items.join(', ')}${close}`;
    if (items.length === 0) return `${open}${close}`;
    const pad = `\n${' '.repeat(this.opts.indent * (depth + 1))}`;
    return `${open}${pad}${items.join(`,${pad}`)}\n${' '.repeat(this.opts.indent * depth)}${close}`;
  }
}

/**
 * `json.dumps(value, indent=…, sort_keys=…)` as Python writes it.
 * {@link PyFloat} values and non-integral numbers are written as floats,
 * other integral numbers as ints. Undefined and function values are left out
 * of objects (null in arrays), as JSON.stringify does; a Map is a dict in
 * insertion order. Throws a TypeError on a circular structure.
 */
export function pyJsonDumps(value: unknown, opts: PyJsonOptions = {}): string {
  return new Writer(opts).value(value, false, 0);
}
