/**
 * `circusd --print-config` output: the model as Python's
 * `json.dumps(config, indent=2)` would print it, so it can be compared with
 * Circus's own `get_config` result. `JSON.stringify` cannot do this: it
 * prints the float `30.0` as `30` and keeps non-ASCII text unescaped.
 */

import { CircusConfig } from './model';
import { PyFloat, pyFloat, pyFloatRepr } from './substitute';

/** Watcher fields Circus holds as Python floats. */
const WATCHER_FLOATS = ['graceful_timeout'];
/** `[circus]` fields Circus holds as Python floats. */
const CIRCUS_FLOATS = ['check_delay'];

/** The JSON text of a loaded config: Circus field names, 2-space indent, floats as floats. */
export function formatConfig(config: CircusConfig): string {
  const top: Record<string, unknown> = { ...config };
  for (const key of CIRCUS_FLOATS) top[key] = pyFloat(config[key as keyof CircusConfig] as number);
  top.watchers = config.watchers.map((w) => {
    const copy: Record<string, unknown> = { ...w };
    for (const key of WATCHER_FLOATS) if (typeof w[key] === 'number') copy[key] = pyFloat(w[key] as number);
    return copy;
  });
  return pythonJson(top, 2);
}

/**
 * Python `json.dumps(value, indent=…)` (ensure_ascii, `", "`-free layout):
 * {@link PyFloat} values print as Python floats, non-finite numbers as
 * `NaN` / `Infinity`, key order as inserted.
 */
export function pythonJson(value: unknown, indent = 2, depth = 0): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof PyFloat) return floatText(value.value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return String(value);
    // Python prints big ints in full, never as `1e+21`.
    return Number.isInteger(value) ? BigInt(value).toString() : floatText(value);
  }
  if (typeof value === 'string') return jsonString(value);
  const pad = ' '.repeat(indent * (depth + 1));
  const end = ' '.repeat(indent * depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => pad + pythonJson(v, indent, depth + 1)).join(',\n')}\n${end}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const body = entries.map(([k, v]) => `${pad}${jsonString(k)}: ${pythonJson(v, indent, depth + 1)}`);
  return `{\n${body.join(',\n')}\n${end}}`;
}

function floatText(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return pyFloatRepr(x);
}

function jsonString(s: string): string {
  // ensure_ascii: everything above 0x7f as \uXXXX (UTF-16 units, surrogates included).
  return JSON.stringify(s).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
