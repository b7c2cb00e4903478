/**
 * circus-top's command line (spec/protocol.md 5.3):
 * `circus-top [--endpoint E] [--ssh S] [--process-timeout N] [--version]`.
 */

import { CLIENT_KEY_HELP, CLIENT_KEY_OPTIONS } from '../shared/client-curve';
import { parseLongOptions } from '../shared/long-options';

/** Parsed arguments. */
export interface CircusTopArgs {
  /** The stats endpoint to subscribe to. */
  readonly endpoint: string;
  readonly ssh: string | null;
  /** `--client-key` / `--server-key` (CURVE); null when not given. */
  readonly clientKey: string | null;
  readonly serverKey: string | null;
  /** Seconds after which a process row that got no sample is dropped. */
  readonly processTimeout: number;
  readonly version: boolean;
  readonly help: boolean;
}

/** A command line circus-top refuses (argparse: usage on stderr, exit 2). */
export class TopArgsError extends Error {}

export const TOP_USAGE =
  'usage: circus-top [-h] [--endpoint ENDPOINT] [--ssh SSH] [--process-timeout PROCESS_TIMEOUT] [--version]\n' +
  '                  [--client-key CLIENT_KEY] [--server-key SERVER_KEY]\n';

export const TOP_HELP =
  `${TOP_USAGE}\nRuns Circus Top\n\noptions:\n` +
  '  -h, --help            show this help message and exit\n' +
  '  --endpoint ENDPOINT   ZeroMQ pub/sub endpoint of the stats (default tcp://127.0.0.1:5557)\n' +
  '  --ssh SSH             SSH Server in the format user@host:port\n' +
  '  --process-timeout PROCESS_TIMEOUT\n' +
  '                        After this delay of inactivity, a process will be removed\n' +
  '  --version             Displays Circus version and exits.\n' +
  CLIENT_KEY_HELP;

/**
 * `--stats-endpoint` is accepted as a synonym of `--endpoint`: it is the
 * name of the same address in circus.ini (`stats_endpoint`).
 */
const VALUED: Record<string, string> = {
  '--endpoint': 'endpoint',
  '--stats-endpoint': 'endpoint',
  '--ssh': 'ssh',
  '--process-timeout': 'processTimeout',
  ...CLIENT_KEY_OPTIONS,
};

/** Parses argv (without node and the script). Throws TopArgsError. */
export function parseCircusTopArgs(argv: readonly string[]): CircusTopArgs {
  const { values, positional, version, help } = parseLongOptions(argv, VALUED, (m) => new TopArgsError(m));
  if (positional.length > 0) throw new TopArgsError(`unrecognized arguments: ${positional.join(' ')}`);
  const timeout = values.processTimeout === undefined ? 3 : Number(values.processTimeout);
  if (values.processTimeout !== undefined && (values.processTimeout.trim() === '' || !Number.isInteger(timeout))) {
    throw new TopArgsError(`argument --process-timeout: invalid int value: '${values.processTimeout}'`);
  }
  return {
    endpoint: values.endpoint ?? 'tcp://127.0.0.1:5557',
    ssh: values.ssh ?? null,
    clientKey: values.clientKey ?? null,
    serverKey: values.serverKey ?? null,
    processTimeout: timeout,
    version,
    help,
  };
}
