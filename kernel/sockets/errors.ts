import { CircusError } from '../errors';

/**
 * A `[socket:NAME]` section cannot become a socket (spec/daemon.md 1.10):
 * unknown family/type/proto, a bad integer, a host that does not resolve.
 * The registry skips that socket with the warning "Failed to create socket".
 */
export class SocketConstructionError extends CircusError {
  readonly code = 'E_SOCKET_CONSTRUCTION';
  constructor(readonly socket: string, detail: string, options?: { cause?: unknown }) {
    super(`socket '${socket}': ${detail}`, options);
  }
}

/**
 * A circus socket could not be bound or listened at arbiter start (port in
 * use, unix path already there without `replace`, path that cannot be
 * created): startup fails (spec 1.10). Also thrown for a watcher whose
 * `stdin_socket` names no socket (spec 3.4).
 */
export class SocketError extends CircusError {
  readonly code = 'E_SOCKET';
  constructor(readonly socket: string, detail: string, options?: { cause?: unknown }) {
    super(`socket '${socket}': ${detail}`, options);
  }
}

/** A failed system call, with the C errno and its text (`[Errno 98] Address already in use`). */
export class SyscallError extends CircusError {
  readonly code = 'E_SYSCALL';
  constructor(readonly syscall: string, readonly errno: number, readonly errnoName: string, text: string) {
    super(`${syscall}: [Errno ${errno}] ${text}`);
  }
}
