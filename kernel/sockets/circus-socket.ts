import { lookup } from 'node:dns/promises';
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { isIP } from 'node:net';
import { errorMessage } from '../errors';
import { SocketConstructionError, SocketError, SyscallError } from './errors';
import * as libc from './libc';
import { inetSockaddr, parseSockaddr, unixSockaddr } from './sockaddr';
import { SocketFamily, SocketOptions, SocketType } from './socket-options';

const FAMILY: Record<SocketFamily, number> = { AF_INET: libc.AF_INET, AF_INET6: libc.AF_INET6, AF_UNIX: libc.AF_UNIX };
const TYPE: Record<SocketType, number> = {
  SOCK_STREAM: libc.SOCK_STREAM,
  SOCK_DGRAM: libc.SOCK_DGRAM,
  SOCK_RAW: libc.SOCK_RAW,
  SOCK_RDM: libc.SOCK_RDM,
  SOCK_SEQPACKET: libc.SOCK_SEQPACKET,
};

/** Read-only view of a circus socket, for control commands (`listsockets`) and plugins. */
export interface SocketView {
  readonly name: string;
  /** circusd's descriptor, also the number the children get; -1 when closed. */
  readonly fd: number;
  /** The bound host (the real address once bound), null for unix sockets. */
  readonly host: string | null;
  /** The bound port (an ephemeral one once bound when 0 was asked), null for unix sockets. */
  readonly port: number | null;
  readonly path: string | null;
  readonly family: SocketFamily;
  readonly type: SocketType;
  readonly backlog: number;
  readonly so_reuseport: boolean;
  /** True once bound (so_reuseport sockets stay unbound in the registry, spec 3.5). */
  readonly bound: boolean;
}

/**
 * One circus socket (spec/daemon.md 3.1-3.2, 3.6) held as a raw descriptor
 * circusd never polls: resolved, created (close-on-exec, SO_REUSEADDR,
 * SO_REUSEPORT), bound, listened; read back for the real address; closed
 * with its unix file removed. Constructing it does no I/O.
 */
export class CircusSocket implements SocketView {
  private descriptor = -1;
  private address: string | null = null;
  private boundHost: string | null = null;
  private boundPort: number | null = null;
  private isBound = false;
  /** Only a file this socket created is removed on close (never a pre-existing one). */
  private ownsPath = false;
  private reuseport: boolean;

  constructor(readonly options: SocketOptions) {
    this.reuseport = options.so_reuseport;
  }

  get name(): string {
    return this.options.name;
  }

  get fd(): number {
    return this.descriptor;
  }

  get host(): string | null {
    return this.options.family === 'AF_UNIX' ? null : (this.boundHost ?? this.options.host);
  }

  get port(): number | null {
    return this.options.family === 'AF_UNIX' ? null : (this.boundPort ?? this.options.port);
  }

  get path(): string | null {
    return this.options.path;
  }

  get family(): SocketFamily {
    return this.options.family;
  }

  get type(): SocketType {
    return this.options.type;
  }

  get backlog(): number {
    return this.options.backlog;
  }

  /** False when SO_REUSEPORT was asked but the system refused it (spec 3.2). */
  get so_reuseport(): boolean {
    return this.reuseport;
  }

  get bound(): boolean {
    return this.isBound;
  }

  /** `'path'` for unix sockets, `host:port` otherwise (spec 3.2 display location). */
  get location(): string {
    if (this.options.family === 'AF_UNIX') return `'${this.options.path}'`;
    return `${this.host}:${this.port}`;
  }

  /** A plain copy of the view fields. */
  view(): SocketView {
    const { name, fd, host, port, path, family, type, backlog, so_reuseport, bound } = this;
    return { name, fd, host, port, path, family, type, backlog, so_reuseport, bound };
  }

  /**
   * Resolves the host (first IPv4 result for AF_INET; AF_INET6 asks the
   * resolver for IPv6 only, quirk Q23 fixed) and creates the descriptor.
   * Throws SocketConstructionError: the registry skips the socket.
   */
  async create(): Promise<void> {
    if (this.options.family !== 'AF_UNIX') this.address = await this.resolve();
    try {
      this.open();
    } catch (err) {
      throw new SocketConstructionError(this.name, errorMessage(err), { cause: err });
    }
  }

  /**
   * A fresh socket of the same section, created and bound with the address
   * resolved at start: so_reuseport's per-process listener (spec 3.5).
   * Throws SocketError (the spawn attempt fails).
   */
  sibling(): CircusSocket {
    const copy = new CircusSocket(this.options);
    copy.address = this.address;
    try {
      copy.open();
      copy.bind();
      return copy;
    } catch (err) {
      copy.close();
      if (err instanceof SocketError) throw err;
      throw new SocketError(this.name, `could not create the per-process socket: ${errorMessage(err)}`, { cause: err });
    }
  }

  private open(): void {
    this.descriptor = libc.openSocket(FAMILY[this.options.family], TYPE[this.options.type], this.options.proto);
    try {
      libc.setIntOption(this.descriptor, libc.SOL_SOCKET, libc.SO_REUSEADDR, 1);
      if (this.reuseport) this.enableReuseport();
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /**
   * Binds (unix: `replace`, then the mode of the socket `umask`; inet: the
   * device of `interface` first), applies `blocking`, listens for stream and
   * seqpacket sockets, and reads back the real host and port. Throws
   * SocketError naming the socket and the address.
   */
  bind(): void {
    if (this.descriptor < 0) throw new SocketError(this.name, 'cannot bind: the socket is not created');
    const o = this.options;
    if (o.family === 'AF_UNIX') this.bindUnix(o.path as string);
    else this.bindInet();
    this.isBound = true;
    try {
      libc.setNonBlocking(this.descriptor, !o.blocking);
      if (o.type === 'SOCK_STREAM' || o.type === 'SOCK_SEQPACKET') libc.listenSocket(this.descriptor, o.backlog);
      if (o.family !== 'AF_UNIX') {
        const name = libc.socketName(this.descriptor);
        const addr = parseSockaddr(name);
        if (addr.family !== 'AF_UNIX') {
          this.boundHost = addr.host;
          this.boundPort = addr.port;
        }
      }
    } catch (err) {
      throw new SocketError(this.name, `could not listen on ${this.location}: ${errorMessage(err)}`, { cause: err });
    }
  }

  /**
   * Re-applies the `blocking` mode: libuv makes a child's fds 0-2 blocking
   * and the flag lives on the description shared with circusd, so a
   * stdin_socket spawn flips it for every holder until this runs.
   */
  restoreBlockingMode(): void {
    if (this.descriptor >= 0) libc.setNonBlocking(this.descriptor, !this.options.blocking);
  }

  /**
   * A new descriptor of this socket (close-on-exec) for an in-process
   * server that owns and closes its copy: the web panel listens on the
   * `circushttpd` socket this way while circusd keeps its own for the
   * children and `listsockets`. Throws SocketError when the socket is closed.
   */
  duplicate(): number {
    if (this.descriptor < 0) throw new SocketError(this.name, 'cannot duplicate: the socket is not open');
    try {
      return libc.duplicateFd(this.descriptor);
    } catch (err) {
      throw new SocketError(this.name, `cannot duplicate the descriptor: ${errorMessage(err)}`, { cause: err });
    }
  }

  /** True when a connection (or datagram) is waiting; nothing is accepted. */
  readable(): boolean {
    if (this.descriptor < 0 || !this.isBound) return false;
    return libc.readableFds([this.descriptor]).length > 0;
  }

  /** Closes the descriptor and removes the unix file it created. Idempotent. */
  close(): void {
    const fd = this.descriptor;
    this.descriptor = -1;
    this.isBound = false;
    if (fd >= 0) libc.closeFd(fd);
    if (this.ownsPath && this.options.path !== null) {
      this.ownsPath = false;
      try {
        unlinkSync(this.options.path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }

  private enableReuseport(): void {
    try {
      libc.setIntOption(this.descriptor, libc.SOL_SOCKET, libc.SO_REUSEPORT, 1);
    } catch (err) {
      // Spec 3.2: where the system lacks SO_REUSEPORT the option silently becomes false.
      if (err instanceof SyscallError && (err.errnoName === 'ENOPROTOOPT' || err.errnoName === 'EINVAL')) this.reuseport = false;
      else throw err;
    }
  }

  private async resolve(): Promise<string> {
    const o = this.options;
    const host = o.host === '' ? (o.family === 'AF_INET6' ? '::' : '0.0.0.0') : o.host;
    const want = o.family === 'AF_INET6' ? 6 : 4;
    const literal = isIP(host.split('%')[0]);
    if (literal === want) return host;
    // A literal of the other family never goes to the resolver (no lookup, no DNS traffic).
    if (literal !== 0) throw new SocketConstructionError(this.name, `host '${o.host}' is not an IPv${want} address (family ${o.family})`);
    let results: { address: string; family: number }[];
    try {
      results = await lookup(host, { all: true, family: want });
    } catch (err) {
      throw new SocketConstructionError(this.name, `cannot resolve host '${o.host}': ${errorMessage(err)}`, { cause: err });
    }
    const first = results.find((r) => r.family === want);
    if (!first) throw new SocketConstructionError(this.name, `host '${o.host}' has no IPv${want} address`);
    return first.address;
  }

  private bindInet(): void {
    const o = this.options;
    const where = `${this.address}:${o.port}`;
    try {
      // Before bind, as SO_BINDTODEVICE must be (spec 3.1; quirk Q22 fixed).
      if (o.interface !== null) {
        try {
          libc.bindToDevice(this.descriptor, o.interface);
        } catch (err) {
          const hint = err instanceof SyscallError && err.errnoName === 'EPERM' ? ' (binding to a device needs CAP_NET_RAW)' : '';
          throw new SocketError(this.name, `could not bind to interface '${o.interface}' for ${where}: ${errorMessage(err)}${hint}`, { cause: err });
        }
      }
      libc.bindSocket(this.descriptor, inetSockaddr(o.family as 'AF_INET' | 'AF_INET6', this.address as string, o.port));
    } catch (err) {
      if (err instanceof SocketError) throw err;
      throw new SocketError(this.name, `could not bind ${where}: ${errorMessage(err)}`, { cause: err });
    }
  }

  private bindUnix(path: string): void {
    const o = this.options;
    if (pathExists(path)) {
      if (!o.replace) throw new SocketError(this.name, `could not bind '${path}': the path already exists (set replace = true to remove it)`);
      try {
        unlinkSync(path);
      } catch (err) {
        throw new SocketError(this.name, `could not remove '${path}' before binding: ${errorMessage(err)}`, { cause: err });
      }
    }
    try {
      libc.bindSocket(this.descriptor, unixSockaddr(path));
    } catch (err) {
      throw new SocketError(this.name, `could not bind '${path}': ${errorMessage(err)}`, { cause: err });
    }
    this.ownsPath = true;
    // Circus switches the process umask around bind(); the kernel never
    // touches the process umask (other work may create files meanwhile), so
    // the same mode is set on the file right after binding.
    try {
      chmodSync(path, 0o777 & ~o.umask);
    } catch (err) {
      throw new SocketError(this.name, `could not set the mode of '${path}': ${errorMessage(err)}`, { cause: err });
    }
  }
}

/** True when something (even a dangling symlink or a stale socket file) is at `path`. */
function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    // Missing, or not reachable: bind() itself then reports the real reason.
    return false;
  }
}
