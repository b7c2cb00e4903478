/**
 * The CURVE options every client takes (issue 9): `--client-key FILE` (this
 * client's `.key_secret`) and `--server-key FILE|Z85` (circusd's public
 * key), or `$CIRCUS_CLIENT_KEY` / `$CIRCUS_SERVER_KEY`. Both or neither:
 * one alone cannot make a CURVE handshake and would only time out.
 */
import { CircusError } from '../../kernel/index';
import { type ClientCurve, type CurveKeyPair, readKeyPair, readPublicKey } from '../../protocol/curve';

/** Environment variable standing for `--client-key`. */
export const CLIENT_KEY_ENV = 'CIRCUS_CLIENT_KEY';
/** Environment variable standing for `--server-key`. */
export const SERVER_KEY_ENV = 'CIRCUS_SERVER_KEY';

/** The key options as given on the command line (null: not given). */
export interface ClientKeyArgs {
  readonly clientKey: string | null;
  readonly serverKey: string | null;
}

/** A key option cannot be used; the message names the option (or variable) and the file. */
export class ClientKeyError extends CircusError {
  readonly code = 'E_CLIENT_KEY';
}

/** The help lines of the two options, for the tools' `--help` (argparse layout). */
export const CLIENT_KEY_HELP =
  '  --client-key CLIENT_KEY\n' +
  '                        CURVE: this client\'s key pair, a .key_secret file (or $CIRCUS_CLIENT_KEY)\n' +
  '  --server-key SERVER_KEY\n' +
  '                        CURVE: the server\'s public key, a .key file or Z85 text (or $CIRCUS_SERVER_KEY)\n';

/** The `valued` entries of {@link parseLongOptions} for the two options. */
export const CLIENT_KEY_OPTIONS: Readonly<Record<string, string>> = { '--client-key': 'clientKey', '--server-key': 'serverKey' };

interface Given {
  readonly value: string;
  /** How the user named it: `--client-key` or `$CIRCUS_CLIENT_KEY`. */
  readonly source: string;
}

function pick(flag: string | null, flagName: string, env: NodeJS.ProcessEnv, envName: string): Given | null {
  if (flag !== null && flag !== '') return { value: flag, source: flagName };
  const fromEnv = env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, source: `$${envName}` };
  return null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The CURVE settings of a client, or undefined when neither option nor
 * variable is set (plain connection, as Circus). A flag wins over its
 * variable. Throws {@link ClientKeyError} when only one of the two is given
 * (naming both) or a key file cannot be used (naming the option and file).
 */
export function resolveClientCurve(args: ClientKeyArgs, env: NodeJS.ProcessEnv): ClientCurve | undefined {
  const client = pick(args.clientKey, '--client-key', env, CLIENT_KEY_ENV);
  const server = pick(args.serverKey, '--server-key', env, SERVER_KEY_ENV);
  if (client === null && server === null) return undefined;
  if (client === null) {
    throw new ClientKeyError(
      `${(server as Given).source} was given without --client-key ($${CLIENT_KEY_ENV}): CURVE needs both this client's key pair and the server's public key`,
    );
  }
  if (server === null) {
    throw new ClientKeyError(
      `${client.source} was given without --server-key ($${SERVER_KEY_ENV}): CURVE needs both this client's key pair and the server's public key`,
    );
  }
  let keys: CurveKeyPair;
  try {
    keys = readKeyPair(client.value);
  } catch (error) {
    throw new ClientKeyError(`${client.source} ${client.value}: ${messageOf(error)}`, { cause: error });
  }
  let serverKey: string;
  try {
    serverKey = readPublicKey(server.value);
  } catch (error) {
    throw new ClientKeyError(`${server.source} ${server.value}: ${messageOf(error)}`, { cause: error });
  }
  return { serverKey, keys };
}
