import { CommandLineError } from '../errors';

/**
 * Python `shlex.split` (POSIX mode, no comments) and `shlex.quote`,
 * hand-written because Circus's argv must come out byte for byte the same
 * (spec/daemon.md 2.3 item 4 and 5); shell-quote style libraries expand
 * variables or treat `#` as a comment.
 */


const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

/** Splits a command line the way Python `shlex.split(s)` does. */
export function shlexSplit(text: string): string[] {
  const out: string[] = [];
  let token = '';
  let inToken = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (WHITESPACE.has(ch)) {
      if (inToken) {
        out.push(token);
        token = '';
        inToken = false;
      }
      i += 1;
    } else if (ch === '\\') {
      if (i + 1 >= text.length) throw new CommandLineError('No escaped character');
      token += text[i + 1];
      inToken = true;
      i += 2;
    } else if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new CommandLineError('No closing quotation');
      token += text.slice(i + 1, end);
      inToken = true;
      i = end + 1;
    } else if (ch === '"') {
      i += 1;
      let closed = false;
      while (i < text.length) {
        const c = text[i];
        if (c === '"') {
          closed = true;
          i += 1;
          break;
        }
        if (c === '\\' && i + 1 < text.length && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          token += text[i + 1];
          i += 2;
        } else {
          token += c;
          i += 1;
        }
      }
      if (!closed) throw new CommandLineError('No closing quotation');
      inToken = true;
    } else {
      token += ch;
      inToken = true;
      i += 1;
    }
  }
  if (inToken) out.push(token);
  return out;
}

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Python `shlex.quote`: safe tokens as is, `''` for empty, else single-quoted. */
export function shlexQuote(token: string): string {
  if (token === '') return "''";
  if (SAFE.test(token)) return token;
  return `'${token.replace(/'/g, `'"'"'`)}'`;
}
