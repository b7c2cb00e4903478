import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import type { SocketRecord } from '../../config/model';
import { errorMessage } from '../errors';
import { Logger } from '../logger';
import { CircusSocket, SocketView } from './circus-socket';
import { SocketConstructionError, SocketError } from './errors';
import { readableFds } from './libc';
import { parseSocketOptions, SocketOptions } from './socket-options';

/** What one spawn asks of the sockets. */
export interface SocketSpawnRequest {
  readonly watcher: string;
  /** The watcher's raw `cmd`: so_reuseport is detected there only (quirk Q24). */
  readonly cmd: string;
  readonly useSockets: boolean;
  readonly stdinSocket: string | null;
}

/** The sockets of one spawn (spec/daemon.md 2.4.1 steps 6-7, 3.3-3.5). */
export interface SocketSpawnPlan {
  /** Socket name to the fd number inside the child, for `$(circus.sockets.NAME)`. */
  readonly numbers: Readonly<Record<string, number>>;
  /** Stdio entries from index 3 on: each socket at the index equal to its number, gaps 'ignore'. */
  readonly extraFds: readonly (number | 'ignore')[];
  /** The fd to place on the child's fd 0 (stdin_socket), or null. */
  readonly stdin: number | null;
  /** Call once the spawn has returned (started or failed): drops per-process sockets, restores flags. */
  release(): void;
}

/** The spawn-time face of the registry, as watchers see it. */
export interface SpawnSockets {
  /** Throws SocketError when `stdinSocket` names no socket (spec 3.4). */
  checkStdinSocket(watcher: string, stdinSocket: string | null): void;
  /** The plan of one spawn; throws SocketError (a failed spawn attempt). */
  plan(request: SocketSpawnRequest): SocketSpawnPlan;
}

/** A spawn without sockets. */
export const NO_SOCKETS: SocketSpawnPlan = Object.freeze({ numbers: {}, extraFds: [], stdin: null, release: () => undefined });

/**
 * The arbiter's circus sockets by name (spec/daemon.md 3): built from the
 * config (a bad section is skipped with "Failed to create socket"), created
 * and bound at arbiter start before any watcher, polled by the on_demand
 * pass, handed to spawns, closed at arbiter stop.
 */
@injectable()
export class CircusSockets implements SpawnSockets {
  private readonly sockets = new Map<string, CircusSocket>();
  private readonly pending: SocketOptions[] = [];
  private started = false;

  constructor(@inject(Logger) private readonly logger: Logger) {}

  /**
   * Converts the socket sections (no I/O). A section that cannot be
   * converted is skipped with the warning "Failed to create socket".
   * Called once by createArbiter.
   */
  load(records: readonly SocketRecord[]): void {
    const sorted = [...records].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const rec of sorted) {
      try {
        if (this.pending.some((o) => o.name === rec.name)) throw new SocketConstructionError(rec.name, 'defined twice');
        this.pending.push(parseSocketOptions(rec));
      } catch (err) {
        this.warnSkipped(err);
      }
    }
  }

  /**
   * Arbiter start, step 2 of spec 2.11: resolves and creates every socket in
   * name order (so fd numbers follow names; an unresolvable host skips that
   * socket with a warning), then binds and listens all but so_reuseport
   * ones and logs `sockets started`. A bind failure closes everything and
   * rejects with a SocketError naming the socket and the address.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const options of this.pending) {
      const socket = new CircusSocket(options);
      try {
        await socket.create();
        this.sockets.set(options.name, socket);
      } catch (err) {
        if (!(err instanceof SocketConstructionError)) throw err;
        this.warnSkipped(err);
      }
    }
    try {
      for (const socket of this.sockets.values()) {
        if (!socket.so_reuseport) socket.bind();
      }
    } catch (err) {
      const failed = err instanceof SocketError ? this.sockets.get(err.socket) : undefined;
      if (failed) this.logger.error(`Could not bind ${failed.location}`);
      this.closeAll();
      throw err;
    }
    if (this.sockets.size > 0) this.logger.info('sockets started');
  }

  /** Closes every socket (unix files this registry created are removed). Idempotent. */
  closeAll(): void {
    for (const socket of this.sockets.values()) {
      try {
        socket.close();
      } catch (err) {
        this.logger.error(`closing socket '${socket.name}' failed: ${errorMessage(err)}`);
      }
    }
    this.sockets.clear();
  }

  /**
   * Adds one socket while running (`reloadconfig`, spec 7.4.3 step 3):
   * converted, created and bound like at start. Rejects with
   * SocketConstructionError or SocketError; nothing is kept then.
   */
  async add(record: SocketRecord): Promise<SocketView> {
    const options = parseSocketOptions(record);
    if (this.sockets.has(options.name)) throw new SocketConstructionError(options.name, 'already exists');
    const socket = new CircusSocket(options);
    await socket.create();
    try {
      if (!socket.so_reuseport) socket.bind();
    } catch (err) {
      socket.close();
      throw err;
    }
    this.sockets.set(options.name, socket);
    return socket.view();
  }

  /** Closes and forgets one socket (its unix file removed); false when there is none of that name. */
  remove(name: string): boolean {
    const socket = this.get(name);
    if (!socket) return false;
    this.sockets.delete(socket.name);
    socket.close();
    return true;
  }

  /** Read-only views in name order. */
  list(): SocketView[] {
    return [...this.sockets.values()].map((s) => s.view()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The socket of that name (case-insensitive), or undefined. */
  get(name: string): CircusSocket | undefined {
    return this.sockets.get(name.toLowerCase());
  }

  /**
   * Zero-timeout readiness poll of every bound socket (spec 2.15): true
   * when any has a pending connection or datagram. Nothing is accepted.
   */
  anyReadable(): boolean {
    const fds = [...this.sockets.values()].filter((s) => s.bound).map((s) => s.fd);
    return readableFds(fds).length > 0;
  }

  checkStdinSocket(watcher: string, stdinSocket: string | null): void {
    if (stdinSocket === null || stdinSocket === '') return;
    if (!this.get(stdinSocket)) throw new SocketError(stdinSocket, `stdin_socket of watcher '${watcher}' does not exist`);
  }

  plan(request: SocketSpawnRequest): SocketSpawnPlan {
    this.checkStdinSocket(request.watcher, request.stdinSocket);
    const stdin = request.stdinSocket ? (this.get(request.stdinSocket) as CircusSocket) : null;
    const numbers: Record<string, number> = {};
    const perProcess: CircusSocket[] = [];
    try {
      for (const socket of this.sockets.values()) {
        let used = socket;
        if (request.useSockets && socket.so_reuseport && request.cmd.includes(`circus.sockets.${socket.name}`)) {
          used = socket.sibling();
          perProcess.push(used);
        }
        numbers[socket.name] = used.fd;
      }
    } catch (err) {
      for (const s of perProcess) s.close();
      throw err;
    }
    const extraFds: (number | 'ignore')[] = [];
    if (request.useSockets) {
      for (const fd of Object.values(numbers)) {
        while (extraFds.length < fd - 3) extraFds.push('ignore');
        extraFds[fd - 3] = fd;
      }
    }
    return {
      numbers,
      extraFds,
      stdin: stdin ? stdin.fd : null,
      release: () => {
        // The child holds its own copies now.
        for (const s of perProcess) s.close();
        stdin?.restoreBlockingMode();
      },
    };
  }

  private warnSkipped(err: unknown): void {
    if (!(err instanceof SocketConstructionError)) throw err;
    this.logger.warning(`Failed to create socket: ${err.message} (the socket is skipped)`);
  }
}
