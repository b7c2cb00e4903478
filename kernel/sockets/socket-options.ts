import { CastError, protocolNumber, SOCKET_FAMILIES, SOCKET_TYPES, toBool, toInt } from '../../config/index';
import type { SocketRecord } from '../../config/model';
import { SocketConstructionError } from './errors';

/** Address families of spec/daemon.md 3.1. */
export type SocketFamily = 'AF_INET' | 'AF_INET6' | 'AF_UNIX';
/** Socket types of spec/daemon.md 3.1. */
export type SocketType = 'SOCK_STREAM' | 'SOCK_DGRAM' | 'SOCK_RAW' | 'SOCK_RDM' | 'SOCK_SEQPACKET';

/** The typed options of one `[socket:NAME]` section (spec/daemon.md 3.1). */
export interface SocketOptions {
  /** Lower-cased section name: the registry key and `$(circus.sockets.NAME)`. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** AF_UNIX whenever `path` is set. */
  readonly family: SocketFamily;
  readonly type: SocketType;
  /** Protocol number (0 = the type's default). */
  readonly proto: number;
  readonly backlog: number;
  readonly path: string | null;
  /** Decimal, as Circus parses it (quirk Q21): `000` is 0, the default 8 is octal 010. */
  readonly umask: number;
  readonly replace: boolean;
  readonly blocking: boolean;
  readonly so_reuseport: boolean;
  /** Network device for SO_BINDTODEVICE, or null. */
  readonly interface: string | null;
  /** The section as loaded (kept for `reloadconfig` comparisons). */
  readonly record: SocketRecord;
}

function text(rec: SocketRecord, key: string): string | undefined {
  const v = rec[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Converts a socket record the way Circus does when it creates the socket
 * object. Throws SocketConstructionError naming the socket and the key; the
 * registry then skips the socket with "Failed to create socket".
 */
export function parseSocketOptions(rec: SocketRecord): SocketOptions {
  const name = rec.name.toLowerCase();
  const fail = (detail: string, cause?: unknown): never => {
    throw new SocketConstructionError(name, detail, cause === undefined ? undefined : { cause });
  };
  const int = (key: string, fallback: number): number => {
    const v = text(rec, key);
    if (v === undefined) return fallback;
    try {
      return toInt(v);
    } catch (err) {
      if (!(err instanceof CastError)) throw err;
      return fail(`${key}: ${err.message}`, err);
    }
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const v = rec[key];
    if (typeof v === 'boolean') return v;
    if (v === undefined) return fallback;
    try {
      return toBool(v);
    } catch (err) {
      if (!(err instanceof CastError)) throw err;
      return fail(`${key}: ${err.message}`, err);
    }
  };
  const path = text(rec, 'path') ?? null;
  const familyText = (text(rec, 'family') ?? 'AF_INET').toUpperCase();
  if (!SOCKET_FAMILIES.includes(familyText)) fail(`unknown family '${text(rec, 'family')}' (expected ${SOCKET_FAMILIES.join(', ')})`);
  const typeText = (text(rec, 'type') ?? 'SOCK_STREAM').toUpperCase();
  if (!SOCKET_TYPES.includes(typeText)) fail(`unknown type '${text(rec, 'type')}' (expected ${SOCKET_TYPES.join(', ')})`);
  const protoText = text(rec, 'proto');
  let proto = 0;
  if (protoText !== undefined && protoText !== '') {
    const n = protocolNumber(protoText);
    if (n === undefined) fail(`unknown protocol '${protoText}'`);
    proto = n as number;
  }
  const port = int('port', 8080);
  if (port < 0 || port > 65535) fail(`port: ${port} is out of range (0-65535)`);
  const iface = text(rec, 'interface');
  return {
    name,
    host: text(rec, 'host') ?? 'localhost',
    port,
    family: path !== null ? 'AF_UNIX' : (familyText as SocketFamily),
    type: typeText as SocketType,
    proto,
    backlog: int('backlog', 2048),
    path,
    umask: int('umask', 8),
    replace: bool('replace', false),
    blocking: bool('blocking', false),
    so_reuseport: bool('so_reuseport', false),
    interface: iface !== undefined && iface !== '' ? iface : null,
    record: rec,
  };
}
