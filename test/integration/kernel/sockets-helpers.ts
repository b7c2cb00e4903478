import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { networkInterfaces } from 'node:os';
import { readdirSync, readlinkSync } from 'node:fs';
import type { SocketRecord } from '../../../config/model';

/** Connects (TCP on loopback, or a unix path), reads the whole answer, with a deadline. */
export function ask(target: { host: string; port: number } | { path: string }, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = 'path' in target ? net.connect(target.path) : net.connect(target.port, target.host);
    let data = '';
    const timer = setTimeout(() => {
      c.destroy();
      reject(new Error(`no answer from ${JSON.stringify(target)} within ${timeoutMs} ms`));
    }, timeoutMs);
    c.setEncoding('utf8');
    c.on('data', (d: string) => (data += d));
    c.on('end', () => {
      clearTimeout(timer);
      resolve(data.trim());
    });
    c.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Sends one datagram to 127.0.0.1:port and waits for one answer. */
export function askUdp(port: number, text: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      s.close();
      reject(new Error(`no datagram back from 127.0.0.1:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    s.on('message', (msg) => {
      clearTimeout(timer);
      s.close();
      resolve(msg.toString('utf8'));
    });
    s.send(text, port, '127.0.0.1');
  });
}

/** True when the loopback interface carries ::1. */
export function hasIpv6Loopback(): boolean {
  return Object.values(networkInterfaces()).some((list) => (list ?? []).some((a) => a.family === 'IPv6' && a.address === '::1'));
}

/** `socket:[inode]` of one of our own descriptors. */
export function socketInode(fd: number): string {
  return readlinkSync(`/proc/self/fd/${fd}`);
}

/** fd number -> readlink target, for a live process. */
export function fdTable(pid: number): Map<number, string> {
  const out = new Map<number, string>();
  for (const name of readdirSync(`/proc/${pid}/fd`)) {
    try {
      out.set(Number(name), readlinkSync(`/proc/${pid}/fd/${name}`));
    } catch {
      // Closed while listing.
    }
  }
  return out;
}

/** A `[socket:NAME]` record as the loader builds it. */
export function socketRecord(name: string, keys: Record<string, string> = {}, typed: { so_reuseport?: boolean; replace?: boolean } = {}): SocketRecord {
  return { name, __name__: `socket:${name}`, so_reuseport: typed.so_reuseport ?? false, replace: typed.replace ?? false, ...keys };
}
