/**
 * circusctl's command line, parsed the way Python's argparse parses Circus's
 * (spec/protocol.md 3.1). Written by hand rather than with commander because
 * commander cannot reproduce what users of Circus see: global options only
 * before the command (everything after it belongs to the sub-command),
 * positionals that must form one contiguous run (`signal web --children usr1`
 * is an error), unique-prefix abbreviations (`--ti 3`), `--opt=value`, and
 * argparse's exact messages and exit status 2
 * (`usage: circusctl [options] command [args]` + `circusctl: error: ...`).
 */
import type { CtlCommand, SwitchSpec } from './command';
import { USAGE, VERSION, subHelp, subUsage } from './help-text';

/** A usage error: printed as argparse does, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** `usage` is the full usage text (without `usage: `), `prog` the program name in the error line. */
  constructor(readonly usage: string, readonly prog: string, message: string) {
    super(message);
  }
  /** The stderr text: `usage: ...` then `<prog>: error: <message>`. */
  text(): string {
    return `usage: ${this.usage}\n${this.prog}: error: ${this.message}\n`;
  }
}

/** `--help`/`-h` of a sub-command, or `--version`: print and exit 0. */
export class EarlyExit extends Error {
  override readonly name = 'EarlyExit';
  constructor(readonly output: string) {
    super('early exit');
  }
}

/** The parsed global options. */
export interface GlobalOptions {
  readonly endpoint: string | null;
  readonly timeout: number;
  readonly help: boolean;
  readonly json: boolean;
  readonly prettify: boolean;
  readonly ssh: string | null;
  readonly sshKeyfile: string | null;
  /** `--client-key`: this client's .key_secret (CURVE); null when not given. */
  readonly clientKey: string | null;
  /** `--server-key`: circusd's public key, a .key file or Z85 (CURVE); null when not given. */
  readonly serverKey: string | null;
}

/** The whole command line. `command` is undefined when none was given, null for `--endpoint list`. */
export interface ParsedArgs {
  readonly globals: GlobalOptions;
  readonly command?: CtlCommand | null;
  readonly args: readonly string[];
  readonly switches: Readonly<Record<string, boolean | string | null>>;
}


type OptKind = 'flag' | 'value' | 'int' | 'version' | 'help';
interface Opt {
  readonly dest: string;
  readonly kind: OptKind;
  readonly strings: readonly string[];
}

const GLOBAL_OPTS: readonly Opt[] = [
  { dest: 'client_key', kind: 'value', strings: ['--client-key'] },
  { dest: 'endpoint', kind: 'value', strings: ['--endpoint'] },
  { dest: 'help', kind: 'flag', strings: ['--help'] },
  { dest: 'json', kind: 'flag', strings: ['--json'] },
  { dest: 'prettify', kind: 'flag', strings: ['--prettify'] },
  { dest: 'server_key', kind: 'value', strings: ['--server-key'] },
  { dest: 'ssh', kind: 'value', strings: ['--ssh'] },
  { dest: 'ssh_keyfile', kind: 'value', strings: ['--ssh_keyfile'] },
  { dest: 'timeout', kind: 'int', strings: ['--timeout'] },
  { dest: 'version', kind: 'version', strings: ['--version'] },
];

function subOpts(switches: readonly SwitchSpec[]): Opt[] {
  return [
    { dest: 'help', kind: 'help', strings: ['-h', '--help'] },
    ...switches.map((s): Opt => ({ dest: s.name, kind: s.kind, strings: [`--${s.name}`] })),
  ];
}

interface Classified {
  /** 'O' option, 'A' argument, '-' the `--` marker. */
  readonly pattern: ('O' | 'A' | '-')[];
  /** For each 'O': the option (undefined if unknown) and an explicit `=value`. */
  readonly options: Map<number, { opt: Opt | undefined; explicit: string | undefined; text: string }>;
}

class Parser {
  constructor(readonly opts: readonly Opt[], readonly usage: string, readonly prog: string) {}

  error(message: string): UsageError {
    return new UsageError(this.usage, this.prog, message);
  }

  /** argparse `_parse_optional` + `_get_option_tuples` (prefix matching). */
  private lookup(arg: string): { opt: Opt | undefined; explicit: string | undefined } | 'A' {
    if (!arg.startsWith('-') || arg === '-') return 'A';
    const exact = this.opts.find((o) => o.strings.includes(arg));
    if (exact) return { opt: exact, explicit: undefined };
    if (arg.length === 1) return 'A';
    const eq = arg.indexOf('=');
    if (eq >= 0) {
      const head = arg.slice(0, eq);
      const found = this.opts.find((o) => o.strings.includes(head));
      if (found) return { opt: found, explicit: arg.slice(eq + 1) };
    }
    if (arg.startsWith('--')) {
      const prefix = eq >= 0 ? arg.slice(0, eq) : arg;
      const matches: { opt: Opt; s: string }[] = [];
      for (const o of this.opts) for (const s of o.strings) if (s.startsWith('--') && s.startsWith(prefix)) matches.push({ opt: o, s });
      if (matches.length > 1) {
        throw this.error(`ambiguous option: ${prefix} could match ${matches.map((m) => m.s).join(', ')}`);
      }
      if (matches.length === 1) return { opt: matches[0].opt, explicit: eq >= 0 ? arg.slice(eq + 1) : undefined };
    }
    // Negative numbers and strings with spaces are arguments (the parser has no option like `-1`).
    if (/^-\d+$|^-\d*\.\d+$/.test(arg)) return 'A';
    if (arg.includes(' ')) return 'A';
    return { opt: undefined, explicit: undefined };
  }

  classify(argv: readonly string[]): Classified {
    const pattern: ('O' | 'A' | '-')[] = [];
    const options = new Map<number, { opt: Opt | undefined; explicit: string | undefined; text: string }>();
    let rest = false;
    argv.forEach((arg, i) => {
      if (rest) {
        pattern.push('A');
        return;
      }
      if (arg === '--') {
        pattern.push('-');
        rest = true;
        return;
      }
      const found = this.lookup(arg);
      if (found === 'A') pattern.push('A');
      else {
        pattern.push('O');
        options.set(i, { ...found, text: arg });
      }
    });
    return { pattern, options };
  }

  /**
   * Consumes the option at `i`; stores into `values`; returns the next index.
   * Unknown options go to `extras`.
   */
  consumeOption(argv: readonly string[], c: Classified, i: number, values: Record<string, unknown>, extras: string[]): number {
    const entry = c.options.get(i) as { opt: Opt | undefined; explicit: string | undefined; text: string };
    const { opt, explicit } = entry;
    if (opt === undefined) {
      extras.push(argv[i]);
      return i + 1;
    }
    const name = opt.strings.filter((s) => s.startsWith('--')).concat(opt.strings)[0];
    const shown = opt.strings.join('/');
    if (opt.kind === 'flag' || opt.kind === 'version' || opt.kind === 'help') {
      if (explicit !== undefined) throw this.error(`argument ${shown}: ignored explicit argument '${explicit}'`);
      if (opt.kind === 'version') throw new EarlyExit(`${VERSION}\n`);
      if (opt.kind === 'help') throw new EarlyExit('');
      values[opt.dest] = true;
      return i + 1;
    }
    let value: string;
    let next = i + 1;
    if (explicit !== undefined) value = explicit;
    else if (c.pattern[i + 1] === 'A') {
      value = argv[i + 1];
      next = i + 2;
    } else throw this.error(`argument ${name}: expected one argument`);
    if (opt.kind === 'int') {
      const t = value.trim();
      if (!/^[-+]?[0-9](_?[0-9])*$/.test(t)) throw this.error(`argument ${name}: invalid int value: '${value}'`);
      values[opt.dest] = Number(t.replace(/_/g, ''));
    } else values[opt.dest] = value;
    return next;
  }
}

/**
 * Parses the sub-command's arguments: switches anywhere, and one contiguous
 * run of positionals (argparse 3.11 with `nargs="*"`).
 */
function parseSub(command: CtlCommand, argv: readonly string[], extras: string[]): { args: string[]; switches: Record<string, boolean | string | null> } {
  const prog = `${USAGE} ${command.name}`;
  const parser = new Parser(subOpts(command.switches), subUsage(command), prog);
  const values: Record<string, unknown> = {};
  for (const s of command.switches) values[s.name] = s.kind === 'flag' ? false : (s.default ?? null);
  const c = parser.classify(argv);
  let positional: string[] | undefined;
  const takeRun = (start: number): number => {
    let end = start;
    while (end < argv.length && (c.pattern[end] === 'A' || c.pattern[end] === '-')) end++;
    const run = argv.slice(start, end);
    // argparse drops the `--` marker from the values it consumes.
    const marker = run.findIndex((_, k) => c.pattern[start + k] === '-');
    if (marker >= 0) run.splice(marker, 1);
    positional = run;
    return end;
  };
  const optionIdx = [...c.options.keys()].sort((a, b) => a - b);
  const maxOpt = optionIdx.length ? optionIdx[optionIdx.length - 1] : -1;
  let i = 0;
  try {
    while (i <= maxOpt) {
      const nextOpt = optionIdx.find((k) => k >= i) as number;
      if (i !== nextOpt && positional === undefined) {
        const end = takeRun(i);
        if (end > i) {
          i = end;
          continue;
        }
      }
      if (i < nextOpt) {
        extras.push(...argv.slice(i, nextOpt));
        i = nextOpt;
      }
      i = parser.consumeOption(argv, c, i, values, extras);
    }
  } catch (error) {
    if (error instanceof EarlyExit && error.output === '') throw new EarlyExit(subHelp(command));
    throw error;
  }
  if (positional === undefined) i = takeRun(i);
  extras.push(...argv.slice(i));
  return { args: positional ?? [], switches: values as Record<string, boolean | string | null> };
}

/**
 * Parses circusctl's argv (without the program name). Throws UsageError
 * (exit 2) or EarlyExit (print, exit 0).
 */
export function parseArguments(argv: readonly string[], commands: ReadonlyMap<string, CtlCommand>): ParsedArgs {
  const top = new Parser(GLOBAL_OPTS, USAGE, 'circusctl');
  const hasCommand = argv.some((a) => commands.has(a));
  const c = top.classify(argv);
  const values: Record<string, unknown> = { endpoint: null, timeout: 5, help: false, json: false, prettify: false, ssh: null, ssh_keyfile: null, client_key: null, server_key: null };
  const extras: string[] = [];
  let command: CtlCommand | null | undefined = hasCommand ? null : undefined;
  let sub: { args: string[]; switches: Record<string, boolean | string | null> } = { args: [], switches: {} };
  let i = 0;
  while (i < argv.length) {
    const kind = c.pattern[i];
    if (kind === 'O') {
      i = top.consumeOption(argv, c, i, values, extras);
      continue;
    }
    if (!hasCommand || command !== null) {
      // No positional left to fill: argparse reports the rest as unrecognized.
      if (kind === 'A') extras.push(argv[i]);
      i++;
      continue;
    }
    // The sub-command positional takes this argument and everything after it.
    const name = argv[i];
    const found = commands.get(name);
    if (found === undefined) {
      const choices = [...commands.keys()].map((k) => `'${k}'`).join(', ');
      throw top.error(`argument command: invalid choice: '${name}' (choose from ${choices})`);
    }
    command = found;
    const subExtras: string[] = [];
    sub = parseSub(found, argv.slice(i + 1), subExtras);
    i = argv.length;
    extras.push(...subExtras);
  }
  if (extras.length > 0) throw top.error(`unrecognized arguments: ${extras.join(' ')}`);
  return {
    globals: {
      endpoint: values.endpoint as string | null,
      timeout: values.timeout as number,
      help: values.help === true,
      json: values.json === true,
      prettify: values.prettify === true,
      ssh: values.ssh as string | null,
      sshKeyfile: values.ssh_keyfile as string | null,
      clientKey: values.client_key as string | null,
      serverKey: values.server_key as string | null,
    },
    command,
    args: sub.args,
    switches: sub.switches,
  };
}
