/**
 * Python `re` patterns as Circus options spell them (the watchdog's
 * `watchers_regex`, any plugin option of type `regex`): named groups
 * `(?P<name>…)` and back-references `(?P=name)` become JavaScript's
 * `(?<name>…)` and `\k<name>`, leading inline flags `(?i)`, `(?m)`, `(?s)`
 * become RegExp flags, `\Z` becomes `$`, and matching is anchored at the
 * start only, as `re.match` is.
 */

import { ArgumentError } from '../errors';

const INLINE_FLAGS: Readonly<Record<string, string>> = { i: 'i', m: 'm', s: 's', u: '', a: '' };

/**
 * Compiles a Python pattern into a sticky RegExp (it only matches at
 * `lastIndex`, which {@link pyMatch} sets to 0). Throws ArgumentError with
 * `invalid regular expression '<pattern>': <reason>`.
 */
export function compilePythonRegex(pattern: string): RegExp {
  const invalid = (reason: string): ArgumentError => new ArgumentError(`invalid regular expression '${pattern}': ${reason}`);
  let source = pattern;
  let flags = 'y';
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(source);
  if (lead) {
    for (const f of lead[1]) {
      if (!(f in INLINE_FLAGS)) throw invalid(`inline flag '${f}' is not supported`);
      if (INLINE_FLAGS[f] && !flags.includes(INLINE_FLAGS[f])) flags += INLINE_FLAGS[f];
    }
    source = source.slice(lead[0].length);
  }
  source = source
    .replace(/(^|[^\\])\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '$1(?<$2>')
    .replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, '\\k<$1>')
    // Python's \Z is JavaScript's end of input without the m flag.
    .replace(/(^|[^\\])\\Z/g, '$1$');
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw invalid(err instanceof Error ? err.message : String(err));
  }
}

/** `re.match(pattern, text)`: the match at the start of `text`, or null. */
export function pyMatch(re: RegExp, text: string): RegExpExecArray | null {
  re.lastIndex = 0;
  return re.exec(text);
}
