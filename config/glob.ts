/**
 * Python `fnmatch` and (non-recursive) `glob` semantics, used for `include`
 * patterns and `[env:PATTERNS]` (spec/daemon.md 1.3, 1.8). Hand-written
 * because Node 20 has no `fs.glob`, and the rules must be Python's: `*`, `?`
 * and `[...]` (with `!` negation) per path segment, `**` is just `*`, names
 * starting with `.` only match a segment pattern that starts with `.`, and a
 * `[` without a closing `]` is a literal.
 */

import * as fs from 'fs';

const cache = new Map<string, RegExp>();

/** Python `fnmatch.translate` into an anchored RegExp (case-sensitive, as on POSIX). */
export function fnmatchRegExp(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let re = '';
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i++];
    if (c === '*') {
      while (pattern[i] === '*') i++;
      re += '[\\s\\S]*';
    } else if (c === '?') {
      re += '[\\s\\S]';
    } else if (c === '[') {
      let j = i;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < n && pattern[j] !== ']') j++;
      if (j >= n) {
        re += '\\[';
      } else {
        let body = pattern.slice(i, j);
        i = j + 1;
        let negate = false;
        if (body.startsWith('!')) {
          negate = true;
          body = body.slice(1);
        }
        const cls = body.replace(/[\\\]^]/g, (ch) => `\\${ch}`);
        re += negate ? `[^${cls}]` : `[${cls}]`;
      }
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const compiled = new RegExp(`^${re}$`, 'u');
  cache.set(pattern, compiled);
  return compiled;
}

/** Python `fnmatch.fnmatchcase`. */
export function fnmatch(name: string, pattern: string): boolean {
  try {
    return fnmatchRegExp(pattern).test(name);
  } catch {
    // A range such as `[z-a]` is invalid; Python raises, we just do not match.
    return false;
  }
}

function hasMagic(s: string): boolean {
  return /[*?[]/.test(s);
}

function lexists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir || '.');
  } catch {
    return [];
  }
}

/**
 * Python `glob.glob(pattern)` (not recursive): paths are returned as the
 * pattern spells them (relative stays relative). Sorted by code point, which
 * Python does not do (directory order): we sort for reproducible loads.
 */
export function glob(pattern: string): string[] {
  return [...new Set(globUnsorted(pattern))].sort(compareCodePoints);
}

function globUnsorted(pattern: string): string[] {
  const [dirname, basename] = pySplit(pattern);
  if (!hasMagic(pattern)) {
    if (basename === '') return isDir(dirname) ? [pattern] : [];
    return lexists(pattern) ? [pattern] : [];
  }
  if (dirname === '') return matchIn('', basename);
  const dirs = dirname !== pattern && hasMagic(dirname) ? globUnsorted(dirname) : [dirname];
  const out: string[] = [];
  for (const dir of dirs) {
    if (hasMagic(basename)) {
      for (const name of matchIn(dir, basename)) out.push(pyJoin(dir, name));
    } else if (basename === '' ? isDir(dir) : lexists(pyJoin(dir, basename))) {
      out.push(pyJoin(dir, basename));
    }
  }
  return out;
}

function matchIn(dir: string, segment: string): string[] {
  const hiddenOk = segment.startsWith('.');
  return listDir(dir).filter((name) => (hiddenOk || !name.startsWith('.')) && fnmatch(name, segment));
}

/** Python `os.path.split`: the head loses its trailing slashes unless it is all slashes. */
function pySplit(p: string): [string, string] {
  const cut = p.lastIndexOf('/') + 1;
  let head = p.slice(0, cut);
  if (head && !/^\/+$/.test(head)) head = head.replace(/\/+$/, '');
  return [head, p.slice(cut)];
}

/** Python `os.path.join` of two parts (no normalization, unlike `path.join`). */
export function pyJoin(a: string, b: string): string {
  if (b.startsWith('/') || a === '') return b;
  return a.endsWith('/') ? `${a}${b}` : `${a}/${b}`;
}

/** Plain code-point order (JS `<` on strings compares UTF-16 units, not code points). */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i].codePointAt(0) ?? 0) - (y[i].codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
