/**
 * circusd's command line (spec/daemon.md 7.1), parsed with commander. Exit
 * statuses follow Circus (argparse): help and version 0, usage errors 2.
 */
import { Command, Option } from 'commander';
import { parseOrExit } from '../shared/commander-parse';
import { CLI_LEVEL_CHOICES } from '../logging/levels';

/** The parsed command line. Options not given are null (the config decides). */
export interface CircusdArgs {
  readonly config: string | null;
  readonly logLevel: string | null;
  readonly logOutput: string | null;
  readonly loggerConfig: string | null;
  readonly daemon: boolean;
  readonly pidfile: string | null;
  readonly printConfig: boolean;
}

/** Either run with these arguments, or exit now with this status (output already written). */
export type ArgsOutcome = { readonly kind: 'run'; readonly args: CircusdArgs } | { readonly kind: 'exit'; readonly code: number };

/** Where the parser writes help, version and usage errors. */
export interface ArgsOutput {
  out(text: string): void;
  err(text: string): void;
}

/** The usage synopsis (argparse style, which is what Circus users know). */
export const USAGE =
  '[-h] [--log-level LEVEL] [--log-output OUTPUT] [--logger-config FILE] [--daemon] [--pidfile FILE] ' +
  '[--version] [--print-config] [config]';

function buildProgram(version: string, output: ArgsOutput): Command {
  const program = new Command('circusd');
  program
    .usage(USAGE)
    .description('Run the Circus process and socket manager (circus-ts).')
    .argument('[config]', 'configuration file')
    .addOption(
      new Option('--log-level <LEVEL>', 'log level; overrides [circus] loglevel').choices(CLI_LEVEL_CHOICES as string[]),
    )
    .option('--log-output <OUTPUT>', "log output: '-' (stderr), a file path, or syslog://host[:port]?facility; overrides [circus] logoutput")
    .option('--logger-config <FILE>', "logging configuration file (.ini, .json, .yaml) or 'default'; overrides [circus] loggerconfig")
    .option('--daemon', 'start circusd in the background')
    .option('--pidfile <FILE>', 'pid file; overrides [circus] pidfile')
    .option('--print-config', 'print the loaded configuration as JSON and exit')
    .version(version, '--version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help message and exit')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => output.out(s),
      writeErr: (s) => output.err(s),
      outputError: (s, write) => write(`usage: circusd ${USAGE}\ncircusd: ${s}`),
    });
  return program;
}

/**
 * Parses the user arguments (`process.argv.slice(2)`). Without a config
 * file, the help goes to stdout and the outcome is exit 0, as in Circus.
 */
export function parseCircusdArgs(argv: readonly string[], version: string, output: ArgsOutput): ArgsOutcome {
  const program = buildProgram(version, output);
  const code = parseOrExit(program, argv);
  if (code !== null) return { kind: 'exit', code };
  const opts = program.opts<{
    logLevel?: string;
    logOutput?: string;
    loggerConfig?: string;
    daemon?: boolean;
    pidfile?: string;
    printConfig?: boolean;
  }>();
  const config = (program.processedArgs[0] as string | undefined) ?? null;
  if (config === null) {
    output.out(program.helpInformation());
    return { kind: 'exit', code: 0 };
  }
  return {
    kind: 'run',
    args: {
      config,
      logLevel: opts.logLevel ?? null,
      logOutput: opts.logOutput ?? null,
      loggerConfig: opts.loggerConfig ?? null,
      daemon: opts.daemon === true,
      pidfile: opts.pidfile ?? null,
      printConfig: opts.printConfig === true,
    },
  };
}

/** The argument vector of the same command line without `--daemon` (for the daemon re-spawn). */
export function argsWithoutDaemon(args: CircusdArgs): string[] {
  const out: string[] = [];
  if (args.logLevel !== null) out.push('--log-level', args.logLevel);
  if (args.logOutput !== null) out.push('--log-output', args.logOutput);
  if (args.loggerConfig !== null) out.push('--logger-config', args.loggerConfig);
  if (args.pidfile !== null) out.push('--pidfile', args.pidfile);
  if (args.config !== null) out.push('--', args.config);
  return out;
}
