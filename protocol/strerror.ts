/**
 * glibc's strerror() texts, so an OS error reaches the client as Python's
 * `str(OSError)` reads (`[Errno 1] Operation not permitted`, spec/protocol.md
 * 1.7). Node only carries libuv's lower-case texts, which differ in wording.
 */
import { constants } from 'node:os';
import { getSystemErrorMap } from 'node:util';

const GLIBC_TEXT: Readonly<Record<string, string>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  EINTR: 'Interrupted system call',
  EIO: 'Input/output error',
  ENXIO: 'No such device or address',
  E2BIG: 'Argument list too long',
  ENOEXEC: 'Exec format error',
  EBADF: 'Bad file descriptor',
  ECHILD: 'No child processes',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EFAULT: 'Bad address',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  EXDEV: 'Invalid cross-device link',
  ENODEV: 'No such device',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ENFILE: 'Too many open files in system',
  EMFILE: 'Too many open files',
  ENOTTY: 'Inappropriate ioctl for device',
  ETXTBSY: 'Text file busy',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  ESPIPE: 'Illegal seek',
  EROFS: 'Read-only file system',
  EMLINK: 'Too many links',
  EPIPE: 'Broken pipe',
  ERANGE: 'Numerical result out of range',
  ENAMETOOLONG: 'File name too long',
  ENOSYS: 'Function not implemented',
  ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links',
  ENOTSOCK: 'Socket operation on non-socket',
  EPROTONOSUPPORT: 'Protocol not supported',
  EOPNOTSUPP: 'Operation not supported',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ENETUNREACH: 'Network is unreachable',
  ECONNRESET: 'Connection reset by peer',
  EISCONN: 'Transport endpoint is already connected',
  ENOTCONN: 'Transport endpoint is not connected',
  ETIMEDOUT: 'Connection timed out',
  ECONNREFUSED: 'Connection refused',
  EHOSTUNREACH: 'No route to host',
  EDQUOT: 'Disk quota exceeded',
  ECANCELED: 'Operation canceled',
};

/** The positive C errno of an error name (`EPERM` -> 1), or undefined if the platform has none. */
export function errnoNumber(name: string): number | undefined {
  return (constants.errno as Record<string, number | undefined>)[name];
}

/**
 * strerror() text of an errno given by name or by number (a negative
 * libuv number is accepted too). Falls back to libuv's text, capitalised.
 */
export function strerror(errno: string | number): string {
  let name = typeof errno === 'string' ? errno : undefined;
  if (name === undefined) {
    const n = Math.abs(errno as number);
    name = Object.entries(constants.errno).find(([, v]) => v === n)?.[0];
  }
  if (name && GLIBC_TEXT[name]) return GLIBC_TEXT[name];
  for (const [, [uvName, text]] of getSystemErrorMap()) {
    if (uvName === name) return text.charAt(0).toUpperCase() + text.slice(1);
  }
  return `Unknown error ${typeof errno === 'number' ? Math.abs(errno) : errno}`;
}
