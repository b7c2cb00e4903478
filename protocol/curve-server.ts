/**
 * The server side of CURVE (issue 9): the `[circus] curve_secret_key` and
 * `curve_authorized_keys` options turned into the server's key pair, the
 * set of keys the ZAP handler lets in, and the socket options every
 * circusd endpoint (control ROUTER, pubsub and stats PUB) is bound with.
 * The key files are read by protocol/curve.ts; this module resolves their
 * paths from the INI file's folder and names the option at fault.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CurveKeyPair, isZ85Key, readAuthorizedKeys, readKeyPair } from './curve';

/** The ZAP domain of circusd's endpoints (RFC 27): requests of any other domain are refused. */
export const ZAP_DOMAIN = 'circus';

/**
 * The routing-id prefix by which our clients say which key they hold
 * (`curve:<Z85 public key>`, 45 bytes). zeromq.js gives no per-message user
 * id, so this binding is how a command is tied to a key in the audit log.
 */
export const CURVE_ROUTING_PREFIX = 'curve:';

/** What a CURVE-enabled circusd serves with. */
export interface CurveServerKeys {
  /** The server's own pair (its public key is what clients pass as `--server-key`). */
  readonly keys: CurveKeyPair;
  /** Public keys (Z85) the ZAP handler accepts; always holds the server's own public key. */
  readonly authorized: ReadonlySet<string>;
}

/** The `[circus]` options this module reads (raw, as the loader keeps them). */
export interface CurveServerOptions {
  readonly curve_secret_key: string | null;
  readonly curve_authorized_keys: readonly string[];
}

/** A CURVE option cannot be used: the message names the `[circus]` key and the file. */
export class CurveServerConfigError extends Error {
  /** Stable identifier (protocol/ cannot import the kernel's CircusError family). */
  readonly code = 'E_CURVE_CONFIG';
  constructor(
    readonly key: 'curve_secret_key' | 'curve_authorized_keys',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CurveServerConfigError';
  }
}

/** Socket options of a CURVE server endpoint; empty when CURVE is off. */
export type CurveServerSocketOptions =
  | { readonly curveServer: true; readonly curveSecretKey: string; readonly zapDomain: string; readonly zapEnforceDomain: true }
  | Record<string, never>;

/** The folder relative option paths are read from: the INI file's, or the working directory without one. */
function baseDir(configPath: string | null): string {
  return configPath ? path.dirname(path.resolve(configPath)) : process.cwd();
}

/**
 * One `curve_authorized_keys` item made absolute. A Z85 key stays as is;
 * Z85's alphabet holds `/` and `.`, so whatever exists under the INI folder
 * or ends in `.key`/`.key_secret` is a path (protocol/curve.ts's rule).
 */
function resolveAuthorizedItem(item: string, base: string): string {
  const asPath = path.resolve(base, item);
  if (isZ85Key(item) && !/\.key(_secret)?$/.test(item) && !fs.existsSync(asPath)) return item;
  return asPath;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Reads the server's keys, or null when CURVE is off (no
 * `curve_secret_key`). Relative paths are taken from the INI file's folder.
 * Throws {@link CurveServerConfigError} naming the `[circus]` key and the
 * file (missing, unreadable, no secret key, keys that do not match).
 */
export function loadCurveServer(options: CurveServerOptions, configPath: string | null): CurveServerKeys | null {
  if (options.curve_secret_key === null) return null;
  const base = baseDir(configPath);
  const secretFile = path.resolve(base, options.curve_secret_key);
  let keys: CurveKeyPair;
  try {
    keys = readKeyPair(secretFile);
  } catch (err) {
    throw new CurveServerConfigError('curve_secret_key', `[circus] curve_secret_key = ${options.curve_secret_key}: ${messageOf(err)}`, { cause: err });
  }
  let authorized: string[];
  try {
    authorized = readAuthorizedKeys(options.curve_authorized_keys.map((item) => resolveAuthorizedItem(item, base)));
  } catch (err) {
    throw new CurveServerConfigError('curve_authorized_keys', `[circus] curve_authorized_keys: ${messageOf(err)}`, { cause: err });
  }
  // The in-process web panel connects with the server's own pair.
  return { keys, authorized: new Set([keys.publicKey, ...authorized]) };
}

/**
 * The options a server socket is created with. `zapEnforceDomain` makes
 * libzmq refuse every client when no ZAP handler answers, instead of
 * letting any key in: CURVE fails closed.
 */
export function curveServerSocketOptions(curve: CurveServerKeys | null): CurveServerSocketOptions {
  if (curve === null) return {};
  return { curveServer: true, curveSecretKey: curve.keys.secretKey, zapDomain: ZAP_DOMAIN, zapEnforceDomain: true };
}

/**
 * The key a request's routing id binds it to: `curve:K` with K authorized,
 * CURVE on. Null otherwise (the audit then names the transport and the
 * routing id). An authorized client could claim another authorized key
 * (documented limit); an unauthorized one never reaches the socket.
 */
export function boundKey(routingId: Uint8Array, curve: CurveServerKeys | null): string | null {
  if (curve === null) return null;
  // `curve:K` or `curve:K:<hex>` (S2's clients add a per-connection suffix: a ROUTER drops a
  // second connection under a routing id in use, so two clients of one key need distinct ids).
  const match = /^curve:(.{40})(?::[0-9a-f]{1,32})?$/s.exec(Buffer.from(routingId).toString('latin1'));
  if (match === null) return null;
  const key = match[1];
  return curve.authorized.has(key) ? key : null;
}
