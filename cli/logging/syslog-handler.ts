/**
 * Python `logging.handlers.SysLogHandler`: `<PRI>` + formatted line + NUL,
 * sent as one UDP datagram, or over a unix socket.
 *
 * Unix sockets: Node has no unix datagram sockets, and the local syslog
 * socket (`/dev/log`) is usually datagram-only. We connect in stream mode,
 * which is the fallback Python itself tries, and report a clear error when the
 * socket refuses it, rather than pull in a native module.
 */
import * as dgram from 'node:dgram';
import * as dns from 'node:dns/promises';
import * as net from 'node:net';
import { LoggingConfigError } from '../circusd/errors';
import { Handler } from './handler';
import type { LogRecord } from './log-record';

/** Syslog facility codes by name (Python's `SysLogHandler.facility_names`). */
export const SYSLOG_FACILITIES: Readonly<Record<string, number>> = Object.freeze({
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  ntp: 12,
  security: 13,
  console: 14,
  'solaris-cron': 15,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
});

/** Syslog severities by Python level name (`SysLogHandler.mapPriority`); others map to `warning`. */
const SEVERITY_BY_LEVEL: Readonly<Record<string, number>> = {
  DEBUG: 7,
  INFO: 6,
  WARNING: 4,
  ERROR: 3,
  CRITICAL: 2,
};

/** The default syslog UDP port. */
export const SYSLOG_UDP_PORT = 514;

/** Where syslog messages go. */
export type SyslogAddress =
  | { readonly kind: 'udp'; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly path: string };

/** `facility << 3 | severity` for a record of level `levelname`. */
export function syslogPriority(facility: number, levelname: string): number {
  return (facility << 3) | (SEVERITY_BY_LEVEL[levelname] ?? 4);
}

/** The bytes of one syslog message: `<PRI>message\0`. */
export function syslogFrame(facility: number, levelname: string, message: string): Buffer {
  return Buffer.from(`<${syslogPriority(facility, levelname)}>${message}\u0000`, 'utf8');
}

interface Transport {
  send(frame: Buffer): void;
  close(): Promise<void>;
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.');
}

async function openUdp(host: string, port: number, fail: (error: unknown) => void): Promise<Transport> {
  let resolved: { address: string; family: number };
  try {
    resolved = await dns.lookup(host);
  } catch (error) {
    throw new LoggingConfigError(
      `syslog output: cannot resolve host '${host}': ${(error as Error).message}`,
      'CIRCUSD_LOG_OUTPUT',
    );
  }
  const socket = dgram.createSocket(resolved.family === 6 ? 'udp6' : 'udp4');
  // Bind explicitly to loopback for a loopback destination, so a local
  // syslog set-up never opens a socket on the other interfaces.
  if (isLoopback(resolved.address)) {
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind({ address: resolved.address, port: 0 }, () => {
          socket.removeListener('error', reject);
          resolve();
        });
      });
    } catch (error) {
      socket.close();
      throw new LoggingConfigError(
        `syslog output: cannot bind a UDP socket on ${resolved.address}: ${(error as Error).message}`,
        'CIRCUSD_LOG_OUTPUT',
      );
    }
  }
  socket.on('error', fail);
  socket.unref();
  return {
    send: (frame) =>
      socket.send(frame, port, resolved.address, (error) => {
        if (error) fail(error);
      }),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

async function openUnix(socketPath: string, fail: (error: unknown) => void): Promise<Transport> {
  const socket = net.createConnection({ path: socketPath });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
  } catch (error) {
    socket.destroy();
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new LoggingConfigError(
      `syslog output: cannot connect to the unix socket '${socketPath}' (${code}); circus-ts speaks ` +
        'syslog over unix sockets in stream mode only (Node has no unix datagram sockets): ' +
        'use a stream socket or syslog://host[:port] (UDP)',
      'CIRCUSD_LOG_OUTPUT',
    );
  }
  socket.on('error', fail);
  socket.unref();
  return {
    send: (frame) => {
      socket.write(frame);
    },
    close: () => new Promise<void>((resolve) => socket.end(() => resolve())),
  };
}

/** Sends each record to a syslog daemon. Build it with {@link SysLogHandler.open}. */
export class SysLogHandler extends Handler {
  private failed = false;

  private constructor(
    readonly address: SyslogAddress,
    readonly facility: number,
    private transport: Transport | null,
  ) {
    super();
  }

  /**
   * Resolves the host (UDP) or connects the unix socket, then returns the
   * handler. Rejects with a LoggingConfigError naming the address on failure.
   */
  static async open(address: SyslogAddress, facility: number): Promise<SysLogHandler> {
    const handler = new SysLogHandler(address, facility, null);
    // Asynchronous send errors are reported once, then muted: a dead syslog
    // would otherwise print one complaint per log line.
    const fail = (error: unknown): void => {
      if (handler.failed) return;
      handler.failed = true;
      handler.onError(handler, error);
    };
    handler.transport =
      address.kind === 'udp' ? await openUdp(address.host, address.port, fail) : await openUnix(address.path, fail);
    return handler;
  }

  protected emit(record: LogRecord): void {
    this.transport?.send(syslogFrame(this.facility, record.levelname, this.format(record)));
  }

  describe(): string {
    const where = this.address.kind === 'udp' ? `${this.address.host}:${this.address.port}` : this.address.path;
    return `SysLogHandler(${where})`;
  }

  override async close(): Promise<void> {
    const transport = this.transport;
    this.transport = null;
    if (transport) await transport.close();
  }
}
