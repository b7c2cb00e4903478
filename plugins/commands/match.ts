/**
 * Name matching of start/stop/restart (spec/protocol.md 2.18): `glob` (the
 * default, whole lower-cased name), `simple` (exact, case-insensitive) and
 * `regex` (lower-cased pattern, anchored at the start only, as Python's
 * re.match).
 */
import { ArgumentError, CommandError, NotFoundError, type Arbiter, type Unit } from '../../kernel';

/** fnmatch.translate: `*`, `?`, `[...]` (with `!` negation); everything else literal. */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      else if (body.startsWith('^')) body = `\\${body}`;
      out += `[${body}]`;
      i = end;
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${out})$`, 's');
}

/**
 * The watchers and plugin facades (`plugin:NAME`) `name` designates under `match`; NotFoundError (name as
 * sent) when none, ArgumentError `unknown match method <m>`, CommandError
 * for a regex that does not compile.
 */
export function matchWatchers(arbiter: Arbiter, name: string, match: unknown = 'glob'): Unit[] {
  const lower = name.toLowerCase();
  let found: Unit[];
  if (match === 'simple') {
    const w = arbiter.findUnit(name);
    found = w ? [w] : [];
  } else if (match === 'glob') {
    const re = globToRegExp(lower);
    found = arbiter.units.filter((w) => re.test(w.name.toLowerCase()));
  } else if (match === 'regex') {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${lower})`, 'u');
    } catch (err) {
      throw new CommandError((err as Error).message);
    }
    found = arbiter.units.filter((w) => re.test(w.name.toLowerCase()));
  } else {
    throw new ArgumentError(`unknown match method ${String(match)}`);
  }
  if (found.length === 0) throw new NotFoundError('watcher', name);
  return found;
}

/** The watchers a start/stop/restart request designates; null when it names none (all of them). */
export function targetsOf(arbiter: Arbiter, props: Readonly<Record<string, unknown>>): Unit[] | null {
  if (props.name === undefined) return null;
  if (typeof props.name !== 'string') throw new ArgumentError(`'name' must be a string, got ${JSON.stringify(props.name)}`);
  return matchWatchers(arbiter, props.name, props.match ?? 'glob');
}
