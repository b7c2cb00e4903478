/**
 * What one circusctl command is: its switches, how it turns arguments into
 * request properties (spec/protocol.md section 2, "circusctl" bullets) and
 * how it renders a reply on the console. One command per file under
 * commands/.
 */
import { ArgumentError } from '../../kernel/index';
import { pyStr } from '../../config/python';
import { pyStrField } from './py-repr';

/** A reply as decoded (numbers written as floats are PyFloat). */
export type Reply = Record<string, unknown>;

/** A sub-command switch (always a long option, as in Circus). */
export interface SwitchSpec {
  /** Option name without `--`; also the key in the parsed options. */
  readonly name: string;
  /** `flag` is argparse store_true; `value` takes one argument. */
  readonly kind: 'flag' | 'value';
  /** Default of a value switch (null, or `glob` for --match). */
  readonly default?: string | null;
  readonly help: string;
}

/** Parsed switches of one invocation: flags are booleans, values strings or null. */
export type SwitchValues = Readonly<Record<string, boolean | string | null>>;

/** A circusctl command. */
export interface CtlCommand {
  readonly name: string;
  /** First line of {@link doc}; shown by `--help`. */
  readonly summary: string;
  /** Printed by `circusctl --help <name>` and the shell's `help <name>`. */
  readonly doc: string;
  readonly switches: readonly SwitchSpec[];
  /**
   * `sub` for listen (pub/sub), `dealer` for everything on the control
   * channel, `local` for a command that runs in circusctl itself (keygen).
   */
  readonly channel: 'dealer' | 'sub' | 'local';
  /**
   * Builds the request properties in Circus's key order. Throws
   * ArgumentError (printed, exit 1) for a wrong argument count.
   */
  message(args: readonly string[], opts: SwitchValues): Record<string, unknown>;
  /** The console text of a reply (without the trailing newline). Throws RenderError if the reply lacks a needed key. */
  render(reply: Reply): string;
  /**
   * A `local` command's work: takes the properties {@link message} built,
   * returns the reply it renders (or prints with --json). Throws an error
   * with a `code` (printed `circusctl: <message>`, exit 1).
   */
  runLocal?(props: Record<string, unknown>): Reply;
}

/** A reply lacks a key the renderer needs (Python circusctl dies with a KeyError there). */
export class RenderError extends ArgumentError {}

/** Reads `reply[key]`, failing like Python's `msg['key']` when absent. */
export function field(reply: Reply, key: string): unknown {
  if (!(key in reply)) throw new RenderError(`KeyError: '${key}'`);
  return reply[key];
}

/** `error: <reason>` (Python `"error: %s" % msg.get("reason")`). */
export function consoleError(reply: Reply): string {
  return `error: ${pyStr(reply.reason)}`;
}

/** The default rendering: `ok`, or `error: <reason>`. */
export function renderOk(reply: Reply): string {
  return reply.status === 'ok' ? 'ok' : consoleError(reply);
}

/** Circus `convert_opt`: env as sorted `K=V,...`, null as empty, everything else Python str. */
export function convertOpt(key: string, value: unknown): string {
  if (key === 'env') {
    if (value === null || value === undefined || typeof value !== 'object') return '';
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '';
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return entries.map(([k, v]) => `${k}=${pyStr(v)}`).join(',');
  }
  if (value === null || value === undefined) return '';
  return pyStrField(key, value);
}

/** `key: value` lines of an `options` object, in reply order (options, get, globaloptions). */
export function optionLines(reply: Reply): string {
  const options = (reply.options ?? {}) as Record<string, unknown>;
  return Object.entries(options)
    .map(([k, v]) => `${k}: ${convertOpt(k, v)}`)
    .join('\n');
}

/** Python `int(text)` for a command argument; a bad value fails like Circus (exit 1). */
export function pyInt(text: string): number {
  const t = text.trim();
  if (!/^[-+]?[0-9](_?[0-9])*$/.test(t)) {
    throw new ArgumentError(`ValueError: invalid literal for int() with base 10: ${pyStrQuote(text)}`);
  }
  return Number(t.replace(/_/g, ''));
}

function pyStrQuote(text: string): string {
  return text.includes("'") && !text.includes('"') ? `"${text}"` : `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The `--waiting` switch most mutating commands take. */
export const WAITING: SwitchSpec = { name: 'waiting', kind: 'flag', help: 'Waiting the real end of the process' };

/** The `--match` switch of start/stop/restart. */
export const MATCH: SwitchSpec = {
  name: 'match',
  kind: 'value',
  default: 'glob',
  help: 'Watcher name matching method (simple, glob or regex)',
};

/** Builds the documentation text: summary, underline, then the body. */
export function makeDoc(summary: string, body: string): string {
  return `${summary}\n${'='.repeat(summary.length)}\n\n${body.trim()}\n`;
}
