/**
 * Errors of the config loader. A load collects every problem it meets and
 * throws them together as one {@link ConfigError}, so a user fixes a file in
 * one round instead of one line per run (spec/daemon.md 1.10).
 */

/** One thing wrong with a configuration, located as precisely as we can. */
export interface ConfigProblem {
  /** The file at fault, as the user named it (or as an include pattern produced it). */
  readonly file: string;
  /** 1-based line number, when the problem comes from one line. */
  readonly line?: number;
  /** The section header, e.g. `watcher:web`. */
  readonly section?: string;
  /** The option name, e.g. `numprocesses`. */
  readonly key?: string;
  readonly message: string;
}

/** Stable codes of {@link ConfigError}. */
export type ConfigErrorCode =
  /** The main configuration file does not exist or cannot be read. */
  | 'CONFIG_NOT_FOUND'
  /** Syntax errors or values that cannot be cast (the load is aborted). */
  | 'CONFIG_INVALID';

/** Renders one problem as `file:line: [section] key: message`. */
export function formatProblem(p: ConfigProblem): string {
  let where = p.file;
  if (p.line !== undefined) where += `:${p.line}`;
  let what = '';
  if (p.section !== undefined) what += `[${p.section}] `;
  if (p.key !== undefined) what += `${p.key}: `;
  return `${where}: ${what}${p.message}`;
}

/**
 * Thrown by the loader when a configuration cannot be loaded at all. Its
 * message lists every problem on its own line; `problems` holds them as data.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode;
  readonly problems: readonly ConfigProblem[];

  constructor(code: ConfigErrorCode, problems: readonly ConfigProblem[]) {
    const count = problems.length;
    const head =
      code === 'CONFIG_NOT_FOUND'
        ? 'cannot load the configuration'
        : `invalid configuration (${count} problem${count === 1 ? '' : 's'})`;
    super([`${head}:`, ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n'));
    this.code = code;
    this.problems = Object.freeze(problems.map((p) => Object.freeze({ ...p })));
  }
}

/** Python `repr()` of a string, used to quote user text in messages as Circus does. */
export function pyQuote(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}
