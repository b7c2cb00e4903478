/**
 * circushttpd's command line, parsed with commander:
 * `circushttpd [--host H] [--port P] [--endpoint E]... [--label L]...
 *  [--password-hash H] [--allowed-host N]... [--secure-cookie] [--timeout S]
 *  [--log-level L] [--log-output O]` and `circushttpd hash-password`.
 * Exit statuses as the other clis (argparse): help and version 0, usage 2.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseOrExit } from '../shared/commander-parse';
import { isLoopbackHost, PASSWORD_HASH_PATTERN } from '../../kernel/index';
import { CLI_LEVEL_CHOICES } from '../logging/levels';

/** Environment variable holding the password hash when --password-hash is not given. */
export const PASSWORD_HASH_ENV = 'CIRCUSHTTPD_PASSWORD_HASH';

/** One daemon of the fleet view. */
export interface DaemonArg {
  readonly id: string;
  readonly label: string;
  readonly endpoint: string;
}

/** The panel's parsed arguments. */
export interface ServeArgs {
  readonly host: string;
  readonly port: number;
  readonly daemons: readonly DaemonArg[];
  readonly passwordHash: string | null;
  readonly allowedHosts: readonly string[];
  readonly secureCookie: boolean;
  /** Seconds to wait for each reply of a daemon. */
  readonly timeout: number;
  readonly logLevel: string;
  readonly logOutput: string;
  /** `--client-key` (CURVE): the panel's .key_secret; null when not given. */
  readonly clientKey: string | null;
  /** `--server-key` (CURVE) of each daemon by rank: none, one for all, or one per --endpoint. */
  readonly serverKeys: readonly string[];
}

/** Run the panel, print a password hash, or exit now with this status (output already written). */
export type HttpdArgsOutcome =
  | { readonly kind: 'serve'; readonly args: ServeArgs }
  | { readonly kind: 'hash-password' }
  | { readonly kind: 'exit'; readonly code: number };

/** Where the parser writes help, version and usage errors. */
export interface HttpdArgsOutput {
  out(text: string): void;
  err(text: string): void;
}

export const HTTPD_USAGE =
  '[-h] [--host HOST] [--port PORT] [--endpoint ENDPOINT]... [--label LABEL]... [--password-hash HASH] ' +
  '[--allowed-host NAME]... [--secure-cookie] [--timeout SECONDS] [--log-level LEVEL] [--log-output OUTPUT] [--version] ' +
  '[--client-key FILE] [--server-key KEY]... ' +
  '| hash-password';

/** Repeatable options start undefined (so help shows no `(default: [])`). */
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function portNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new InvalidArgumentError('not a port number (0-65535).');
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('not a positive number of seconds.');
  return n;
}

/** A URL-safe id from a label (`Web Farm 1` -> `web-farm-1`), made unique among `taken`. */
export function daemonId(label: string, index: number, taken: Set<string>): string {
  const slug = label.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  let id = slug === '' ? `d${index + 1}` : slug;
  for (let n = 2; taken.has(id); n++) id = `${slug || `d${index + 1}`}-${n}`;
  taken.add(id);
  return id;
}

function buildProgram(version: string, output: HttpdArgsOutput, chosen: { hash: boolean }): Command {
  const program = new Command('circushttpd');
  program
    .usage(HTTPD_USAGE)
    .description('Run the Circus web panel against one or several circusd (circus-ts).')
    .option('--host <HOST>', 'address to listen on', '127.0.0.1')
    .option('--port <PORT>', 'port to listen on', portNumber, 8080)
    .option('--endpoint <ENDPOINT>', 'control endpoint of a circusd; repeat for a fleet (default tcp://127.0.0.1:5555)', collect)
    .option('--label <LABEL>', 'name shown for the daemon of the same rank (default: its endpoint)', collect)
    .option('--password-hash <HASH>', `scrypt hash of the panel password (circushttpd hash-password); or $${PASSWORD_HASH_ENV}`)
    .option('--allowed-host <NAME>', "extra Host header name accepted (a reverse proxy's public name); repeatable", collect)
    .option('--secure-cookie', 'mark the session cookie Secure (TLS in front)')
    .option('--timeout <SECONDS>', 'seconds to wait for each reply of a daemon', seconds, 5)
    .option('--client-key <FILE>', "CURVE: the panel's key pair, a .key_secret file (or $CIRCUS_CLIENT_KEY)")
    .option(
      '--server-key <KEY>',
      "CURVE: a daemon's public key, a .key file or Z85 text; one for every daemon or one per --endpoint (or $CIRCUS_SERVER_KEY)",
      collect,
    )
    .addOption(new Option('--log-level <LEVEL>', 'log level').choices(CLI_LEVEL_CHOICES as string[]).default('info'))
    .option('--log-output <OUTPUT>', "log output: '-' (stderr), a file path, or syslog://host[:port]?facility", '-')
    .version(version, '--version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help message and exit')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => output.out(s),
      writeErr: (s) => output.err(s),
      outputError: (s, write) => write(`usage: circushttpd ${HTTPD_USAGE}\ncircushttpd: ${s}`),
    })
    // Serving is the default; the action only marks that no subcommand ran.
    .action(() => undefined);
  program
    .command('hash-password')
    .description('read a password (stdin, or a prompt without echo) and print its hash for [circus] httpd_password_hash')
    .helpOption('-h, --help', 'show this help message and exit')
    .action(() => {
      chosen.hash = true;
    });
  return program;
}

interface RawOptions {
  host: string;
  port: number;
  endpoint?: string[];
  label?: string[];
  passwordHash?: string;
  allowedHost?: string[];
  secureCookie?: boolean;
  timeout: number;
  logLevel: string;
  logOutput: string;
  clientKey?: string;
  serverKey?: string[];
}

/** Parses the user arguments (`process.argv.slice(2)`); `env` supplies CIRCUSHTTPD_PASSWORD_HASH. */
export function parseCircushttpdArgs(argv: readonly string[], version: string, output: HttpdArgsOutput, env: NodeJS.ProcessEnv = {}): HttpdArgsOutcome {
  const chosen = { hash: false };
  const program = buildProgram(version, output, chosen);
  const code = parseOrExit(program, argv);
  if (code !== null) return { kind: 'exit', code };
  if (chosen.hash) return { kind: 'hash-password' };
  const opts = program.opts<RawOptions>();
  const usage = (message: string): HttpdArgsOutcome => {
    output.err(`usage: circushttpd ${HTTPD_USAGE}\ncircushttpd: error: ${message}\n`);
    return { kind: 'exit', code: 2 };
  };
  if (program.args.length > 0) return usage(`unrecognized arguments: ${program.args.join(' ')}`);
  const endpoints = opts.endpoint ?? ['tcp://127.0.0.1:5555'];
  const labels = opts.label ?? [];
  if (labels.length > endpoints.length) return usage(`${labels.length} --label for ${endpoints.length} --endpoint: give at most one label per endpoint`);
  const serverKeys = opts.serverKey ?? [];
  if (serverKeys.length > 1 && serverKeys.length !== endpoints.length) {
    return usage(`${serverKeys.length} --server-key for ${endpoints.length} --endpoint: give one for every daemon or one per endpoint`);
  }
  const taken = new Set<string>();
  const daemons = endpoints.map((endpoint, i) => {
    const label = labels[i] ?? endpoint;
    return { id: labels[i] === undefined ? daemonId('', i, taken) : daemonId(label, i, taken), label, endpoint };
  });
  const hashText = opts.passwordHash ?? env[PASSWORD_HASH_ENV] ?? '';
  const passwordHash = hashText.trim() === '' ? null : hashText.trim();
  if (passwordHash !== null && !PASSWORD_HASH_PATTERN.test(passwordHash)) {
    return usage('the password hash is not in the form scrypt$N$r$p$salt$hash written by "circushttpd hash-password"');
  }
  if (passwordHash === null && !isLoopbackHost(opts.host)) {
    return usage(
      `--host ${opts.host} is beyond loopback: the panel can start any command, so it needs a login there. ` +
        `Give --password-hash (make one with "circushttpd hash-password") or use --host 127.0.0.1`,
    );
  }
  return {
    kind: 'serve',
    args: {
      host: opts.host,
      port: opts.port,
      daemons,
      passwordHash,
      allowedHosts: opts.allowedHost ?? [],
      secureCookie: opts.secureCookie === true,
      timeout: opts.timeout,
      logLevel: opts.logLevel,
      logOutput: opts.logOutput,
      clientKey: opts.clientKey ?? null,
      serverKeys,
    },
  };
}
