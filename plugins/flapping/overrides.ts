/**
 * Per-watcher `flapping.*` keys (spec/daemon.md 6.6): read from the
 * `options` reply of a watcher and converted the way Circus does
 * (`attempts`/`max_retry` with int(), `window`/`retry_in` with float(),
 * `active` with to_bool). Values come as INI strings, or as whatever JSON
 * a `set` command stored.
 */
import type { FlappingSettings } from './flapping-detector';

/** The overridable keys, with their conversion. */
export type FlappingOverrides = Partial<FlappingSettings>;

/** Prefix of the watcher keys this plugin reads. */
export const OVERRIDE_PREFIX = 'flapping.';

/** Python `int(value)`: integers, int-like strings (blanks, sign, `_` between digits), floats truncated. */
export function pyInt(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot convert float ${String(value)} to integer`);
    return Math.trunc(value);
  }
  const text = String(value);
  if (!/^\s*[+-]?\d+(_\d+)*\s*$/.test(text)) throw new Error(`invalid literal for int() with base 10: '${text}'`);
  return Number(text.trim().replace(/_/g, ''));
}

/** Python `float(value)`: numbers, decimal strings, `inf`/`nan` spellings. */
export function pyFloat(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  const text = String(value);
  const t = text.trim().toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  if (!/^[+-]?(\d+(_\d+)*(\.(\d+(_\d+)*)?)?|\.\d+(_\d+)*)(e[+-]?\d+(_\d+)*)?$/.test(t)) {
    throw new Error(`could not convert string to float: '${text}'`);
  }
  return Number(t.replace(/_/g, ''));
}

/** Circus's `to_bool`: a boolean, or `true`/`1`/`false`/`0` in any case with blanks. */
export function pyToBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const t = String(value).trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw new Error(`${JSON.stringify(value)} is not a boolean`);
}

const CONVERTERS: Readonly<Record<keyof FlappingSettings, (v: unknown) => number | boolean>> = {
  attempts: pyInt,
  max_retry: pyInt,
  window: pyFloat,
  retry_in: pyFloat,
  active: pyToBool,
};

/** One `flapping.*` key whose value could not be converted. */
export interface OverrideProblem {
  readonly key: string;
  readonly value: unknown;
  readonly reason: string;
}

/**
 * Extracts the `flapping.*` overrides from a watcher's options. Keys
 * Circus stores but never reads (`flapping.foo`) are skipped; a value that
 * does not convert is reported and left out, so the plugin default applies.
 */
export function readOverrides(options: Readonly<Record<string, unknown>>): { overrides: FlappingOverrides; problems: OverrideProblem[] } {
  const overrides: Record<string, number | boolean> = {};
  const problems: OverrideProblem[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (!key.startsWith(OVERRIDE_PREFIX)) continue;
    const sub = key.slice(OVERRIDE_PREFIX.length);
    if (!Object.prototype.hasOwnProperty.call(CONVERTERS, sub)) continue;
    try {
      overrides[sub] = CONVERTERS[sub as keyof FlappingSettings](value);
    } catch (err) {
      problems.push({ key, value, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return { overrides: overrides as FlappingOverrides, problems };
}
