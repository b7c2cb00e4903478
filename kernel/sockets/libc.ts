/**
 * The system calls circus sockets need, called through the FFI library
 * koffi (pinned in package.json).
 *
 * Why raw descriptors at all: a socket held by Node's net/dgram servers is
 * polled by circusd's event loop, which then accepts the connections meant
 * for the workers (measured: 52 of 60 taken by the parent). circusd must own
 * each circus socket as a plain fd it never watches, set options Node lacks
 * (SO_REUSEPORT before bind, SO_BINDTODEVICE), and check readability
 * without accepting (on_demand). Why FFI rather than an N-API addon: koffi
 * ships prebuilt binaries, so no compiler is needed on the user's machine.
 *
 * Linux only: the constants and struct layouts below are Linux's; on any
 * other system the first socket operation fails with a clear error.
 */
import { constants as osConstants } from 'node:os';
import type * as Koffi from 'koffi';
import { SyscallError } from './errors';

/** Linux constants (include/uapi/linux/*.h, asm-generic). */
export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const SOCK_RDM = 4;
export const SOCK_SEQPACKET = 5;
const SOCK_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const SO_TYPE = 3;
export const SO_REUSEPORT = 15;
export const SO_BINDTODEVICE = 25;
const F_GETFD = 1;
const F_SETFD = 2;
const FD_CLOEXEC = 1;
const F_GETFL = 3;
const F_SETFL = 4;
const F_DUPFD_CLOEXEC = 1030;
const F_SETPIPE_SZ = 1031;
const F_GETPIPE_SZ = 1032;
const O_CLOEXEC = 0o2000000;
export const O_NONBLOCK = 0o4000;
const POLLIN = 0x001;
const POLLERR = 0x008;
const POLLHUP = 0x010;
const POLLNVAL = 0x020;

type Fn = (...args: unknown[]) => number;

interface Bound {
  koffi: typeof Koffi;
  socket: Fn;
  setsockopt: Fn;
  getsockopt: Fn;
  bind: Fn;
  listen: Fn;
  fcntl: Fn;
  getsockname: Fn;
  poll: Fn;
  pipe2: Fn;
  close: Fn;
  strerror: (errno: number) => string;
  ifNametoindex: Fn;
}

let bound: Bound | null = null;

function lib(): Bound {
  if (bound) return bound;
  if (process.platform !== 'linux') {
    throw new SyscallError('load', 0, 'ENOSYS', `circus sockets are implemented for Linux only (this is ${process.platform})`);
  }
  // Loaded on first use, so a config without sockets never needs the native library.
  const koffi = require('koffi') as typeof Koffi;
  const libc = koffi.load('libc.so.6');
  const f = (decl: string): Fn => libc.func(decl) as Fn;
  bound = {
    koffi,
    socket: f('int socket(int, int, int)'),
    setsockopt: f('int setsockopt(int, int, int, void *, uint32_t)'),
    getsockopt: f('int getsockopt(int, int, int, _Inout_ void *, _Inout_ uint32_t *)'),
    bind: f('int bind(int, void *, uint32_t)'),
    listen: f('int listen(int, int)'),
    fcntl: f('int fcntl(int, int, ...)'),
    getsockname: f('int getsockname(int, _Inout_ void *, _Inout_ uint32_t *)'),
    poll: f('int poll(_Inout_ void *, uint64_t, int)'),
    pipe2: f('int pipe2(_Out_ int *, int)'),
    close: f('int close(int)'),
    strerror: libc.func('const char *strerror(int)') as (errno: number) => string,
    ifNametoindex: f('unsigned int if_nametoindex(const char *)'),
  };
  return bound;
}

const ERRNO_NAMES = new Map<number, string>(Object.entries(osConstants.errno).map(([k, v]) => [v, k]));

/** Throws a SyscallError for the errno left by the call that returned -1. */
function check(syscall: string, result: number): number {
  if (result !== -1) return result;
  const b = lib();
  const errno = b.koffi.errno();
  throw new SyscallError(syscall, errno, ERRNO_NAMES.get(errno) ?? `E${errno}`, b.strerror(errno));
}

function int32(value: number): Buffer {
  const buf = Buffer.alloc(4);
  buf.writeInt32LE(value);
  return buf;
}

/**
 * socket(2) with close-on-exec: circusd's own children never inherit it by
 * accident; the spawner passes it explicitly (a child gets its copy without
 * the flag). A descriptor below 3 (circusd started with fds 0-2 closed) is
 * moved above 2 so it cannot collide with a child's stdio.
 */
export function openSocket(family: number, type: number, proto: number): number {
  const fd = check('socket', lib().socket(family, type | SOCK_CLOEXEC, proto));
  if (fd > 2) return fd;
  try {
    return check('fcntl', lib().fcntl(fd, F_DUPFD_CLOEXEC, 'int', 3));
  } finally {
    lib().close(fd);
  }
}

/**
 * fcntl(F_DUPFD_CLOEXEC): another descriptor (>= 3, close-on-exec) of the
 * same open socket, for an in-process server that closes its own copy.
 */
export function duplicateFd(fd: number): number {
  return check('fcntl', lib().fcntl(fd, F_DUPFD_CLOEXEC, 'int', 3));
}

/** setsockopt(2) with an int value. */
export function setIntOption(fd: number, level: number, name: number, value: number): void {
  check('setsockopt', lib().setsockopt(fd, level, name, int32(value), 4));
}

/** getsockopt(2) of an int value. */
export function getIntOption(fd: number, level: number, name: number): number {
  const buf = Buffer.alloc(4);
  check('getsockopt', lib().getsockopt(fd, level, name, buf, [4]));
  return buf.readInt32LE(0);
}

/** SO_BINDTODEVICE takes the device name with its trailing NUL (spec 3.1). */
export function bindToDevice(fd: number, device: string): void {
  const name = Buffer.from(`${device}\0`, 'utf8');
  check('setsockopt', lib().setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, name.length));
}

/** The device a socket is bound to ('' when none). */
export function boundDevice(fd: number): string {
  const buf = Buffer.alloc(64);
  const len = [buf.length];
  check('getsockopt', lib().getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, buf, len));
  return buf.subarray(0, len[0]).toString('utf8').replace(/\0.*$/s, '');
}

/** bind(2) to a sockaddr built by sockaddr.ts. */
export function bindSocket(fd: number, sockaddr: Buffer): void {
  check('bind', lib().bind(fd, sockaddr, sockaddr.length));
}

/** listen(2). */
export function listenSocket(fd: number, backlog: number): void {
  check('listen', lib().listen(fd, backlog));
}

/** Sets or clears O_NONBLOCK on the open file description (shared with every child holding it). */
export function setNonBlocking(fd: number, on: boolean): void {
  const flags = check('fcntl', lib().fcntl(fd, F_GETFL));
  const next = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
  if (next !== flags) check('fcntl', lib().fcntl(fd, F_SETFL, 'int', next));
}

/** The file status flags (O_NONBLOCK ...). */
export function statusFlags(fd: number): number {
  return check('fcntl', lib().fcntl(fd, F_GETFL));
}

/** True when FD_CLOEXEC is set. */
export function isCloseOnExec(fd: number): boolean {
  return (check('fcntl', lib().fcntl(fd, F_GETFD)) & FD_CLOEXEC) === FD_CLOEXEC;
}

/** Sets FD_CLOEXEC, keeping the other descriptor flags. */
export function setCloseOnExec(fd: number): void {
  const flags = check('fcntl', lib().fcntl(fd, F_GETFD));
  check('fcntl', lib().fcntl(fd, F_SETFD, 'int', flags | FD_CLOEXEC));
}

/** getsockname(2): the raw sockaddr the socket is bound to. */
export function socketName(fd: number): Buffer {
  const buf = Buffer.alloc(128);
  const len = [buf.length];
  check('getsockname', lib().getsockname(fd, buf, len));
  return buf.subarray(0, len[0]);
}

/**
 * poll(2) with a zero timeout: which of `fds` have something to read (a
 * pending connection, a datagram). Nothing is accepted or read, so the
 * child still gets the connection (on_demand, spec 2.15).
 */
export function readableFds(fds: readonly number[]): number[] {
  if (fds.length === 0) return [];
  const pollfds = Buffer.alloc(8 * fds.length);
  fds.forEach((fd, i) => {
    pollfds.writeInt32LE(fd, i * 8);
    pollfds.writeInt16LE(POLLIN, i * 8 + 4);
  });
  const n = check('poll', lib().poll(pollfds, fds.length, 0));
  if (n === 0) return [];
  return fds.filter((_, i) => (pollfds.readInt16LE(i * 8 + 6) & POLLIN) !== 0);
}

/**
 * poll(2) for input on `fds`, waiting up to `timeoutMs` (-1: forever):
 * the fds that can be read without blocking, end of file and errors
 * included (a pipe whose writers are gone reports POLLHUP, not POLLIN).
 * EINTR counts as nothing ready.
 */
export function pollInput(fds: readonly number[], timeoutMs: number): number[] {
  const pollfds = Buffer.alloc(8 * fds.length);
  fds.forEach((fd, i) => {
    pollfds.writeInt32LE(fd, i * 8);
    pollfds.writeInt16LE(POLLIN, i * 8 + 4);
  });
  const n = lib().poll(pollfds, fds.length, timeoutMs);
  if (n === -1 && lib().koffi.errno() === osConstants.errno.EINTR) return [];
  if (check('poll', n) === 0) return [];
  const mask = POLLIN | POLLHUP | POLLERR | POLLNVAL;
  return fds.filter((_, i) => (pollfds.readInt16LE(i * 8 + 6) & mask) !== 0);
}

/**
 * pipe2(2) with close-on-exec on both ends, each moved above fd 2 (so it
 * cannot collide with a child's stdio), then grown to `capacity` bytes
 * with F_SETPIPE_SZ when it can be: bigger reads and fewer blocked
 * writers. The kernel refuses sizes above /proc/sys/fs/pipe-max-size or
 * beyond the user's pipe quota; the pipe then keeps its default 64 KiB.
 */
export function openPipe(capacity: number): { read: number; write: number } {
  const fds = [0, 0];
  check('pipe2', lib().pipe2(fds, O_CLOEXEC));
  let read: number;
  try {
    read = aboveStdio(fds[0]);
  } catch (err) {
    lib().close(fds[1]);
    throw err;
  }
  let write: number;
  try {
    write = aboveStdio(fds[1]);
  } catch (err) {
    lib().close(read);
    throw err;
  }
  if (capacity > 0) lib().fcntl(read, F_SETPIPE_SZ, 'int', capacity);
  return { read, write };
}

/** `fd` itself when above 2, else a close-on-exec duplicate >= 3 (the original is closed). */
function aboveStdio(fd: number): number {
  if (fd > 2) return fd;
  try {
    return check('fcntl', lib().fcntl(fd, F_DUPFD_CLOEXEC, 'int', 3));
  } finally {
    lib().close(fd);
  }
}

/** The capacity a pipe has (F_GETPIPE_SZ). */
export function pipeCapacity(fd: number): number {
  return check('fcntl', lib().fcntl(fd, F_GETPIPE_SZ));
}

/** close(2). */
export function closeFd(fd: number): void {
  check('close', lib().close(fd));
}

/** if_nametoindex(3), for IPv6 scope ids given by name (`fe80::1%eth0`); 0 when unknown. */
export function interfaceIndex(name: string): number {
  return lib().ifNametoindex(name);
}
