/**
 * The parse state shared by every file of one configuration: sections in the
 * order they first appeared, a `[DEFAULT]` pseudo-section, and for every value
 * the file and line it came from (so later casting errors can point at it).
 */

import { setOwn } from './own';

/** One option value with its origin. */
export interface IniValue {
  readonly value: string;
  readonly file: string;
  readonly line: number;
}

/** The name of the section whose options every other section inherits. */
export const DEFAULT_SECTION = 'DEFAULT';

/** The pseudo-option holding the section name (spec/daemon.md 1.2). */
export const NAME_OPTION = '__name__';

/** @internal An option while its file is still being read: continuation lines append to `parts`. */
export interface MutableEntry {
  parts: string[];
  readonly file: string;
  readonly line: number;
  /** Which parse run created it; continuation lines only extend entries of the current run. */
  readonly run: number;
}

/**
 * Options of all sections, read from one or more files into one store, with
 * Python configparser's lookup rules: the section's own value first, then
 * `[DEFAULT]`; `items()` lists `[DEFAULT]` keys first, then the section's.
 */
export class IniDocument {
  /** @internal */
  readonly sectionMap = new Map<string, Map<string, MutableEntry>>();
  /** @internal */
  readonly defaultMap = new Map<string, MutableEntry>();
  /** @internal */
  runs = 0;

  /** Section names in first-appearance order, without `DEFAULT`. */
  sections(): string[] {
    return [...this.sectionMap.keys()];
  }

  hasSection(section: string): boolean {
    return this.sectionMap.has(section);
  }

  /**
   * Python `has_option`: false when the section does not exist, even if
   * `[DEFAULT]` has the key; `DEFAULT` itself looks only at the defaults.
   */
  hasOption(section: string, key: string): boolean {
    if (section === DEFAULT_SECTION) return this.defaultMap.has(key);
    const own = this.sectionMap.get(section);
    if (!own) return false;
    return own.has(key) || this.defaultMap.has(key);
  }

  /** The value of `key` in `section` (or inherited from `[DEFAULT]`). */
  get(section: string, key: string): IniValue | undefined {
    const own = section === DEFAULT_SECTION ? this.defaultMap : this.sectionMap.get(section);
    if (!own) return undefined;
    const entry = own.get(key) ?? this.defaultMap.get(key);
    return entry ? freezeEntry(entry) : undefined;
  }

  /**
   * Every option of a section, `[DEFAULT]` keys first (in their order), then
   * the section's own keys, including the `__name__` pseudo-option. Empty for
   * an unknown section.
   */
  items(section: string): Array<[string, IniValue]> {
    if (section === DEFAULT_SECTION) {
      return [...this.defaultMap].map(([k, e]) => [k, freezeEntry(e)]);
    }
    const own = this.sectionMap.get(section);
    if (!own) return [];
    const merged = new Map<string, MutableEntry>(this.defaultMap);
    for (const [k, e] of own) merged.set(k, e);
    return [...merged].map(([k, e]) => [k, freezeEntry(e)]);
  }

  /** The section as a plain `key -> value` object (same rules as {@link items}). */
  toObject(section: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.items(section)) setOwn(out, k, v.value);
    return out;
  }
}

function freezeEntry(e: MutableEntry): IniValue {
  return Object.freeze({ value: e.parts.join('\n'), file: e.file, line: e.line });
}
