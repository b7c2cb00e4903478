/**
 * circus-plugin's command line (spec/daemon.md 6.14):
 * `circus-plugin [--endpoint E] [--pubsub P] [--config CFG] [--check-delay N]
 *  [--log-level L] [--log-output O] [--ssh S] [--version] PLUGIN`.
 */

import { CLIENT_KEY_HELP, CLIENT_KEY_OPTIONS } from '../shared/client-curve';
import { parseLongOptions } from '../shared/long-options';

/** Parsed arguments. */
export interface CircusPluginArgs {
  readonly endpoint: string;
  readonly pubsub: string;
  /** The `--config` text, `k:v:::k2:v2`. */
  readonly config: string;
  readonly checkDelay: number;
  readonly logLevel: string;
  readonly logOutput: string;
  readonly ssh: string | null;
  /** `--client-key` / `--server-key` (CURVE); null when not given. */
  readonly clientKey: string | null;
  readonly serverKey: string | null;
  readonly version: boolean;
  readonly help: boolean;
  /** The `use` value: a built-in name, Circus class path, module path or package. */
  readonly plugin: string | null;
}

/** A command line circus-plugin refuses (argparse: usage on stderr, exit 2). */
export class ArgsError extends Error {}

export const USAGE =
  'usage: circus-plugin [-h] [--endpoint ENDPOINT] [--pubsub PUBSUB] [--config CONFIG]\n' +
  '                     [--check-delay CHECK_DELAY] [--log-level LEVEL] [--log-output OUTPUT]\n' +
  '                     [--ssh SSH] [--version] [--client-key CLIENT_KEY] [--server-key SERVER_KEY]\n' +
  '                     [plugin]\n';

export const HELP =
  `${USAGE}\nRuns a plugin.\n\npositional arguments:\n  plugin                Fully qualified name of the plugin class.\n\n` +
  'options:\n' +
  '  -h, --help            show this help message and exit\n' +
  '  --endpoint ENDPOINT   Connection endpoint.\n' +
  '  --pubsub PUBSUB       The circusd ZeroMQ pub/sub socket to connect to.\n' +
  '  --config CONFIG       The plugin configuration (key:value pairs joined by :::)\n' +
  '  --check-delay CHECK_DELAY\n                        Check delay.\n' +
  '  --log-level LEVEL     log level (debug, info, warning, error, critical)\n' +
  '  --log-output OUTPUT   log output (- for stdout, or a file path)\n' +
  '  --ssh SSH             SSH Server in the format user@host:port\n' +
  '  --version             Displays Circus version and exits.\n' +
  CLIENT_KEY_HELP;

const VALUED: Record<string, string> = {
  '--endpoint': 'endpoint',
  '--pubsub': 'pubsub',
  '--config': 'config',
  '--check-delay': 'checkDelay',
  '--log-level': 'logLevel',
  '--log-output': 'logOutput',
  '--ssh': 'ssh',
  ...CLIENT_KEY_OPTIONS,
};

/** Parses argv (without node and the script). Throws ArgsError. */
export function parseCircusPluginArgs(argv: readonly string[]): CircusPluginArgs {
  const { values, positional, version, help } = parseLongOptions(argv, VALUED, (m) => new ArgsError(m));
  if (positional.length > 1) throw new ArgsError(`unrecognized arguments: ${positional.slice(1).join(' ')}`);
  const checkDelay = values.checkDelay === undefined ? 5.0 : Number(values.checkDelay);
  if (values.checkDelay !== undefined && (values.checkDelay.trim() === '' || !Number.isFinite(checkDelay))) {
    throw new ArgsError(`argument --check-delay: invalid float value: '${values.checkDelay}'`);
  }
  return {
    endpoint: values.endpoint ?? 'tcp://127.0.0.1:5555',
    pubsub: values.pubsub ?? 'tcp://127.0.0.1:5556',
    config: values.config ?? '',
    checkDelay,
    logLevel: values.logLevel ?? 'info',
    logOutput: values.logOutput ?? '-',
    ssh: values.ssh ?? null,
    clientKey: values.clientKey ?? null,
    serverKey: values.serverKey ?? null,
    version,
    help,
    plugin: positional[0] ?? null,
  };
}

/**
 * `--config` (spec 6.14): items separated by `:::`, each split at its first
 * `:` into key and value, both trimmed; items without `:` are ignored.
 */
export function parsePluginConfig(text: string): Record<string, string> {
  const pairs: [string, string][] = [];
  for (const item of text.split(':::')) {
    const colon = item.indexOf(':');
    if (colon >= 0) pairs.push([item.slice(0, colon).trim(), item.slice(colon + 1).trim()]);
  }
  // fromEntries keeps a key such as `__proto__` an own property; the last item wins, as in Python's dict().
  return Object.fromEntries(pairs);
}
