/**
 * Circus's `human2bytes` (spec/daemon.md 6.4.1): the reverse of the
 * human-readable sizes the `stats` reply carries in `mem_info1`/`mem_info2`
 * (`9.77K`, `95.37M`), also used for the byte form of resource_watcher's
 * `max_mem`/`min_mem`. Every unit is a power of 1024.
 */

const UNIT_SETS: readonly (readonly string[])[] = [
  ['B', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'],
  ['byte', 'kilo', 'mega', 'giga', 'tera', 'peta', 'exa', 'zetta', 'iotta'],
  ['Bi', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi'],
  ['byte', 'kibi', 'mebi', 'gibi', 'tebi', 'pebi', 'exbi', 'zebi', 'yobi'],
];

/** Why a size could not be read; the message quotes it as Python's repr would. */
export class HumanSizeError extends Error {
  constructor(readonly text: string) {
    super(`can't interpret '${text}'`);
    this.name = 'HumanSizeError';
  }
}

/**
 * `<number><unit>` -> bytes, truncated to an integer (`9K` -> 9216,
 * `1.99G` -> 2136746229). A bare number, an empty string or an unknown unit
 * throws {@link HumanSizeError}, as in Circus.
 */
export function human2bytes(text: string): number {
  const m = /^[0-9.]*/.exec(text);
  const digits = m ? m[0] : '';
  if (!/^(\d+\.?\d*|\.\d+)$/.test(digits)) throw new HumanSizeError(text);
  const unit = text.slice(digits.length).trim();
  for (const set of UNIT_SETS) {
    const i = set.indexOf(unit);
    if (i >= 0) return Math.trunc(Number(digits) * 2 ** (10 * i));
  }
  // Circus accepts a lower-case `k` as an alias of `K`, and no other lower-case letter.
  if (unit === 'k') return Math.trunc(Number(digits) * 1024);
  throw new HumanSizeError(text);
}
