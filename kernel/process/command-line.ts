import type { PyValue } from '../../config/python';
import { buildLookup, replaceWithLookup } from '../../config/substitute';
import { shlexQuote, shlexSplit } from './shlex';

/** What spec/daemon.md 2.3 needs to build one argv. */
export interface CommandLineInput {
  readonly cmd: string;
  /** A string is substituted then tokenized; a list is substituted elementwise. */
  readonly args: string | readonly string[] | null;
  readonly shell: boolean;
  readonly shellArgs: string | readonly string[] | null;
  readonly executable: string | null;
  /** The watcher env, for the first `$(circus.env.*)` pass over `cmd`. */
  readonly env: Readonly<Record<string, string>>;
  /** The runtime variable table of 1.6.5 (keys without the `circus.` prefix). */
  readonly variables: Readonly<Record<string, PyValue>>;
}

/** The program to execute and the argv it sees. */
export interface CommandLine {
  /** Program to execute (name searched on PATH, or a path). */
  readonly file: string;
  /** argv including argv[0] (the display name). */
  readonly argv: readonly string[];
  /** Deprecation and misuse warnings to log (each spawn, as Circus does). */
  readonly warnings: readonly string[];
}

function substituteList(value: string | readonly string[], table: ReadonlyMap<string, string>): string[] {
  if (typeof value === 'string') return shlexSplit(replaceWithLookup(value, table));
  return value.map((item) => replaceWithLookup(item, table));
}

/**
 * Builds the argv of one spawn (spec/daemon.md 2.3). Throws CommandLineError on an
 * unterminated quote, which the caller counts as a failed attempt.
 */
export function buildCommandLine(input: CommandLineInput): CommandLine {
  const warnings: string[] = [];
  const envTable = buildLookup({ env: input.env });
  const cmd = replaceWithLookup(input.cmd, envTable);
  const table = buildLookup(input.variables);
  const argsText = typeof input.args === 'string' ? input.args : (input.args ?? []).join(' ');
  if (cmd.includes('$WID') || argsText.includes('$WID')) {
    // Quirk Q11: Circus warns but leaves $WID in the executed argv.
    warnings.push('using $WID is deprecated and it is not replaced; use $(circus.wid) instead');
  }
  const argv = shlexSplit(replaceWithLookup(cmd, table));
  if (input.args !== null) argv.push(...substituteList(input.args, table));
  if (input.shell) {
    // Quirk Q12: every token is quoted, so shell syntax in cmd/args is inert.
    const script = argv.map(shlexQuote).join(' ');
    const extra = input.shellArgs !== null ? substituteList(input.shellArgs, table) : [];
    const shell = input.executable ?? '/bin/sh';
    return { file: shell, argv: [shell, '-c', script, ...extra], warnings };
  }
  if (input.shellArgs !== null && input.shellArgs.length > 0) {
    warnings.push('shell_args is ignored because shell is false');
  }
  if (argv.length === 0) return { file: input.executable ?? '', argv: [], warnings };
  return { file: input.executable ?? argv[0], argv, warnings };
}
