/**
 * `$(circus.KEY)` / `((circus.KEY))` substitution (spec/daemon.md 1.6.1);
 * values render as Python `str()` does (config/python.ts). Shared by the
 * loader (config time) and the kernel (runtime variables at every spawn, 1.6.5).
 */

import { PyFloat, type PyScalar, type PyValue, pyStr } from './python';

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
