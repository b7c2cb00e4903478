/**
 * sockaddr_in, sockaddr_in6 and sockaddr_un laid out by hand (Linux
 * layouts: sa_family_t is a host-order u16 at offset 0, ports and IPv4
 * addresses in network order). Node exposes no way to build or read them.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { AF_INET, AF_INET6, AF_UNIX, interfaceIndex } from './libc';

/** Bytes in sun_path (including the NUL); longer paths cannot be bound. */
export const UNIX_PATH_MAX = 108;

/** An address as the socket reports it. */
export type SocketAddress =
  | { readonly family: 'AF_INET' | 'AF_INET6'; readonly host: string; readonly port: number }
  | { readonly family: 'AF_UNIX'; readonly path: string };

function ipv4Bytes(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

/** The 16 bytes of an IPv6 address (`::` compression and a dotted IPv4 tail accepted). */
export function ipv6Bytes(ip: string): Buffer {
  let text = ip;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail = [...ipv4Bytes(text.slice(lastColon + 1))];
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, null];
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = rest === null ? [] : groups(rest);
  const fill = rest === null ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  const all = [...left, ...fill, ...right];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  if (tail.length === 4) Buffer.from(tail).copy(out, 12);
  return out;
}

/** The canonical (compressed, lower-case) text of 16 IPv6 bytes. */
export function formatIpv6(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  // The WHATWG URL serializer implements RFC 5952 compression; no need to redo it.
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

/** sockaddr_in / sockaddr_in6 for a numeric address (an IPv6 `%scope` suffix is honoured). */
export function inetSockaddr(family: 'AF_INET' | 'AF_INET6', address: string, port: number): Buffer {
  if (family === 'AF_INET') {
    if (!isIPv4(address)) throw new RangeError(`'${address}' is not an IPv4 address`);
    const sa = Buffer.alloc(16);
    sa.writeUInt16LE(AF_INET, 0);
    sa.writeUInt16BE(port, 2);
    ipv4Bytes(address).copy(sa, 4);
    return sa;
  }
  const [ip, scope] = address.split('%');
  if (!isIPv6(ip)) throw new RangeError(`'${address}' is not an IPv6 address`);
  const sa = Buffer.alloc(28);
  sa.writeUInt16LE(AF_INET6, 0);
  sa.writeUInt16BE(port, 2);
  ipv6Bytes(ip).copy(sa, 8);
  if (scope !== undefined) sa.writeUInt32LE(/^\d+$/.test(scope) ? Number(scope) : interfaceIndex(scope), 24);
  return sa;
}

/** sockaddr_un for a filesystem path; throws when the path does not fit. */
export function unixSockaddr(path: string): Buffer {
  const bytes = Buffer.from(path, 'utf8');
  if (bytes.length >= UNIX_PATH_MAX) throw new RangeError(`unix socket path is too long (${bytes.length} bytes, at most ${UNIX_PATH_MAX - 1})`);
  const sa = Buffer.alloc(2 + bytes.length + 1);
  sa.writeUInt16LE(AF_UNIX, 0);
  bytes.copy(sa, 2);
  return sa;
}

/** Reads back what getsockname returned. */
export function parseSockaddr(sa: Buffer): SocketAddress {
  const family = sa.readUInt16LE(0);
  if (family === AF_INET) {
    return { family: 'AF_INET', host: [...sa.subarray(4, 8)].join('.'), port: sa.readUInt16BE(2) };
  }
  if (family === AF_INET6) {
    return { family: 'AF_INET6', host: formatIpv6(sa.subarray(8, 24)), port: sa.readUInt16BE(2) };
  }
  if (family === AF_UNIX) {
    return { family: 'AF_UNIX', path: sa.subarray(2).toString('utf8').replace(/\0.*$/s, '') };
  }
  throw new RangeError(`unknown address family ${family}`);
}
