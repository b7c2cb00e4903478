/**
 * circusd-stats's command line (spec/protocol.md 5.1, spec/daemon.md 6.14):
 * `circusd-stats [--endpoint E] [--pubsub P] [--statspoint S] [--log-level L]
 *  [--log-output O] [--ssh SSH] [--version]`.
 */

import { CLIENT_KEY_HELP, CLIENT_KEY_OPTIONS } from '../shared/client-curve';
import { parseLongOptions } from '../shared/long-options';

/** Parsed arguments. */
export interface CircusdStatsArgs {
  readonly endpoint: string;
  readonly pubsub: string;
  readonly statspoint: string;
  readonly logLevel: string;
  readonly logOutput: string;
  readonly ssh: string | null;
  /** `--client-key` / `--server-key` (CURVE); null when not given. */
  readonly clientKey: string | null;
  readonly serverKey: string | null;
  readonly version: boolean;
  readonly help: boolean;
}

/** A command line circusd-stats refuses (argparse: usage on stderr, exit 2). */
export class StatsArgsError extends Error {}

export const STATS_USAGE =
  'usage: circusd-stats [-h] [--endpoint ENDPOINT] [--pubsub PUBSUB] [--statspoint STATSPOINT]\n' +
  '                     [--log-level LEVEL] [--log-output OUTPUT] [--ssh SSH] [--version]\n' +
  '                     [--client-key CLIENT_KEY] [--server-key SERVER_KEY]\n';

export const STATS_HELP =
  `${STATS_USAGE}\nRuns the stats aggregator for Circus\n\noptions:\n` +
  '  -h, --help            show this help message and exit\n' +
  '  --endpoint ENDPOINT   Connection endpoint.\n' +
  '  --pubsub PUBSUB       The circusd ZeroMQ pub/sub socket to connect to.\n' +
  '  --statspoint STATSPOINT\n                        The ZeroMQ pub/sub socket to send data to.\n' +
  '  --log-level LEVEL     log level (debug, info, warning, error, critical)\n' +
  '  --log-output OUTPUT   log output (- for stdout, or a file path)\n' +
  '  --ssh SSH             SSH Server in the format user@host:port\n' +
  '  --version             Displays Circus version and exits.\n' +
  CLIENT_KEY_HELP;

const VALUED: Record<string, string> = {
  '--endpoint': 'endpoint',
  '--pubsub': 'pubsub',
  '--statspoint': 'statspoint',
  '--log-level': 'logLevel',
  '--log-output': 'logOutput',
  '--ssh': 'ssh',
  ...CLIENT_KEY_OPTIONS,
};

/** Parses argv (without node and the script). Throws StatsArgsError. */
export function parseCircusdStatsArgs(argv: readonly string[]): CircusdStatsArgs {
  const { values, positional, version, help } = parseLongOptions(argv, VALUED, (m) => new StatsArgsError(m));
  if (positional.length > 0) throw new StatsArgsError(`unrecognized arguments: ${positional.join(' ')}`);
  return {
    endpoint: values.endpoint ?? 'tcp://127.0.0.1:5555',
    pubsub: values.pubsub ?? 'tcp://127.0.0.1:5556',
    statspoint: values.statspoint ?? 'tcp://127.0.0.1:5557',
    logLevel: values.logLevel ?? 'info',
    logOutput: values.logOutput ?? '-',
    ssh: values.ssh ?? null,
    clientKey: values.clientKey ?? null,
    serverKey: values.serverKey ?? null,
    version,
    help,
  };
}
