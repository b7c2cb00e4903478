/**
 * What Circus finds wrong with a `[socket:…]` record only when it creates
 * the socket (spec/daemon.md 3.1): unknown family/type/proto, and integers
 * that do not parse. Such a socket is skipped with a warning (1.10).
 * Host resolution is left to the kernel, which resolves at bind time.
 */

import * as fs from 'fs';
import { CastError, toBool, toInt } from './cast';
import { SocketRecord } from './model';

/** Address families a `[socket:…]` may name (upper-cased before comparing). */
export const SOCKET_FAMILIES: readonly string[] = ['AF_INET', 'AF_INET6', 'AF_UNIX'];
/** Socket types a `[socket:…]` may name (upper-cased before comparing). */
export const SOCKET_TYPES: readonly string[] = ['SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_RAW', 'SOCK_RDM', 'SOCK_SEQPACKET'];

// Used when /etc/protocols is missing (minimal containers).
const FALLBACK_PROTOCOLS: Record<string, number> = { ip: 0, icmp: 1, tcp: 6, udp: 17, ipv6: 41, 'ipv6-icmp': 58, sctp: 132 };

let protocols: Map<string, number> | undefined;

/** Python `socket.getprotobyname`: the system protocol database, or undefined. */
export function protocolNumber(name: string): number | undefined {
  if (!protocols) {
    protocols = new Map(Object.entries(FALLBACK_PROTOCOLS));
    try {
      for (const line of fs.readFileSync('/etc/protocols', 'utf8').split('\n')) {
        const fields = line.replace(/#.*/, '').trim().split(/\s+/);
        if (fields.length < 2 || !/^\d+$/.test(fields[1])) continue;
        const num = Number(fields[1]);
        for (const alias of [fields[0], ...fields.slice(2)]) protocols.set(alias, num);
      }
    } catch {
      // keep the fallback table
    }
  }
  return protocols.get(name);
}

/** Every reason the socket of `rec` cannot be created (empty when fine). */
export function checkSocket(rec: SocketRecord): string[] {
  const reasons: string[] = [];
  const str = (key: string): string | undefined => (typeof rec[key] === 'string' ? (rec[key] as string) : undefined);
  const family = (str('family') ?? 'AF_INET').toUpperCase();
  if (!SOCKET_FAMILIES.includes(family)) reasons.push(`unknown family '${str('family')}' (expected ${SOCKET_FAMILIES.join(', ')})`);
  const type = (str('type') ?? 'SOCK_STREAM').toUpperCase();
  if (!SOCKET_TYPES.includes(type)) reasons.push(`unknown type '${str('type')}' (expected ${SOCKET_TYPES.join(', ')})`);
  const proto = str('proto');
  if (proto && protocolNumber(proto) === undefined) reasons.push(`unknown protocol '${proto}'`);
  for (const key of ['port', 'backlog', 'umask']) {
    const v = str(key);
    if (v === undefined) continue;
    try {
      toInt(v);
    } catch (err) {
      if (!(err instanceof CastError)) throw err;
      reasons.push(`${key}: ${err.message}`);
    }
  }
  const blocking = str('blocking');
  if (blocking !== undefined) {
    try {
      toBool(blocking);
    } catch (err) {
      if (!(err instanceof CastError)) throw err;
      reasons.push(`blocking: ${err.message}`);
    }
  }
  return reasons;
}
