/**
 * The INI dialect of Circus (`StrictConfigParser`, spec/daemon.md 1.2).
 *
 * Hand-written on purpose: existing configs must read exactly as Circus reads
 * them, and generic INI libraries (npm `ini`, Python's own default parser)
 * disagree on nearly every rule that matters here: the FIRST occurrence of a
 * key wins (across re-opened sections and across files), `[DEFAULT]` is
 * inherited by every section, `;` starts an inline comment only after
 * whitespace and `#` never does, indented lines continue the previous value
 * even when they look like comments, quotes are literal except the exact
 * value `""`, keys keep their case, `rem` lines are comments, and each
 * section carries a `__name__` pseudo-option.
 */

import { ConfigError, ConfigProblem, pyQuote } from './errors';
import { DEFAULT_SECTION, IniDocument, MutableEntry, NAME_OPTION } from './ini-document';

export { IniDocument, IniValue, DEFAULT_SECTION, NAME_OPTION } from './ini-document';

// Python's SECTCRE `\[(?P<header>.+)\]` (greedy, so the LAST `]` closes it).
const HEADER = /^\[([\s\S]+)\]/;
// Python's OPTCRE: lazy key, so the FIRST `=` or `:` splits the line.
const OPTION = /^([\s\S]*?)\s*([=:])\s*([\s\S]*)$/;
const REM = /^[rR][eE][mM](\s|$)/;

/**
 * Parses `text` (the content of `file`) into `doc`, adding to what earlier
 * calls read. Returns every syntax problem of the file (empty when clean);
 * options read before a problem are kept, as Python's parser keeps them.
 */
export function parseIniInto(doc: IniDocument, text: string, file: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const run = ++doc.runs;
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  // Python's text mode uses universal newlines.
  const lines = body.split(/\r\n|\r|\n/);
  let section: Map<string, MutableEntry> | null = null;
  let sectionName: string | null = null;
  let option: string | null = null;
  let reportedMissingHeader = false;

  lines.forEach((line, index) => {
    const lineno = index + 1;
    if (line.trim() === '' || line[0] === '#' || line[0] === ';') return;
    if (REM.test(line)) return;

    if (/^\s/.test(line) && section !== null && option) {
      const part = line.trim();
      const entry = section.get(option);
      // Only a value created by this file is still open; a duplicate key that
      // lost to an earlier file has nothing to extend (Circus would crash).
      if (part && entry && entry.run === run) entry.parts.push(part);
      return;
    }

    const header = HEADER.exec(line);
    if (header) {
      sectionName = header[1];
      option = null;
      if (sectionName === DEFAULT_SECTION) {
        section = doc.defaultMap;
      } else {
        let existing = doc.sectionMap.get(sectionName);
        if (!existing) {
          existing = new Map();
          existing.set(NAME_OPTION, { parts: [sectionName], file, line: lineno, run: 0 });
          doc.sectionMap.set(sectionName, existing);
        }
        section = existing;
      }
      return;
    }

    if (section === null) {
      if (!reportedMissingHeader) {
        problems.push({ file, line: lineno, message: `missing section header before ${pyQuote(line)}` });
        reportedMissingHeader = true;
      }
      return;
    }

    const opt = OPTION.exec(line);
    if (!opt) {
      problems.push({
        file,
        line: lineno,
        section: sectionName ?? undefined,
        message: `${pyQuote(line)} is neither a section header nor an option (key = value)`,
      });
      return;
    }
    const key = opt[1].replace(/\s+$/, '');
    option = key;
    if (section.has(key)) return; // first occurrence wins
    section.set(key, { parts: [cleanValue(opt[3])], file, line: lineno, run });
  });
  return problems;
}

function cleanValue(raw: string): string {
  let value = raw;
  const pos = value.indexOf(';');
  if (pos !== -1) {
    // Python checks value[pos - 1]; at pos 0 that index wraps to the last character.
    const before = pos === 0 ? value[value.length - 1] : value[pos - 1];
    if (/\s/.test(before)) value = value.slice(0, pos);
  }
  value = value.trim();
  return value === '""' ? '' : value;
}

/**
 * Parses one INI text with the Circus dialect. Reused by the cli for Python
 * logging `.ini` files. Throws {@link ConfigError} (`CONFIG_INVALID`) listing
 * every syntax error of the text.
 */
export function parseIni(text: string, file = '<string>'): IniDocument {
  const doc = new IniDocument();
  const problems = parseIniInto(doc, text, file);
  if (problems.length > 0) throw new ConfigError('CONFIG_INVALID', problems);
  return doc;
}
