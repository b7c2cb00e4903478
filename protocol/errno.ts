/**
 * Circus's error numbers (circus/commands/errors.py in Circus 0.19.0) and
 * the one function that turns anything a command throws into the errno,
 * reason and traceback a client sees (spec/protocol.md 1.7). Errors are
 * matched by their stable `code` string: protocol/ never imports kernel/.
 */
import type { ReplyError } from './codec';
import { pyBytesRepr, pyStrRepr } from '../config/python';
import { errnoNumber, strerror } from './strerror';

/** errno values of the control channel. */
export const Errno = {
  NOT_SPECIFIED: 0,
  INVALID_JSON: 1,
  UNKNOWN_COMMAND: 2,
  MESSAGE_ERROR: 3,
  OS_ERROR: 4,
  COMMAND_ERROR: 5,
  BAD_MSG_DATA_ERROR: 6,
} as const;

/** One of the errno values of {@link Errno}. */
export type ErrnoValue = (typeof Errno)[keyof typeof Errno];

/** errno -> Circus's name for it. */
export const ERRNO_NAMES: Readonly<Record<ErrnoValue, string>> = {
  0: 'NOT_SPECIFIED',
  1: 'INVALID_JSON',
  2: 'UNKNOWN_COMMAND',
  3: 'MESSAGE_ERROR',
  4: 'OS_ERROR',
  5: 'COMMAND_ERROR',
  6: 'BAD_MSG_DATA_ERROR',
};

/** Kernel error codes a client caused (bad argument, existing name ...): Circus's MessageError, errno 3. */
const MESSAGE_CODES: ReadonlySet<string> = new Set([
  'E_ARGUMENT',
  'E_ALREADY_EXISTS',
  'E_CONSTRUCTION',
  'E_COMMAND_LINE',
  'E_MESSAGE',
]);

/** The reply to a request body that is not JSON (errno 1). */
export const INVALID_JSON: ReplyError = { errno: Errno.INVALID_JSON, reason: 'json invalid', tb: null };

/** The reply to a failed waited operation or a result that is not an object (errno 6). */
export const SERVER_ERROR: ReplyError = { errno: Errno.BAD_MSG_DATA_ERROR, reason: 'server error', tb: null };

/** errno 2 for a command name the registry does not know; the name as sent, in Python repr. */
export function unknownCommand(nameAsSent: string): ReplyError {
  return { errno: Errno.UNKNOWN_COMMAND, reason: `unknown command: ${pyStrRepr(nameAsSent)}`, tb: null };
}

/** errno 3 for a message the daemon refuses before running anything. */
export function messageError(reason: string): ReplyError {
  return { errno: Errno.MESSAGE_ERROR, reason, tb: null };
}

/** The fields of a thrown value this mapping looks at; any of them may be absent. */
interface ErrorLike {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly stack?: unknown;
  readonly property?: unknown;
  readonly kind?: unknown;
  readonly what?: unknown;
  readonly circusErrno?: unknown;
  readonly errno?: unknown;
  readonly syscall?: unknown;
  readonly path?: unknown;
  readonly dest?: unknown;
}

function messageOf(err: unknown): string {
  const message = (err as ErrorLike | null)?.message;
  return typeof message === 'string' ? message : String(err);
}

/** `str(OSError)` of a Node system error: `[Errno 2] No such file or directory: 'x'`. */
function nodeSystemReason(e: ErrorLike): string {
  const name = typeof e.code === 'string' ? e.code : undefined;
  const number = (name && errnoNumber(name)) ?? Math.abs(e.errno as number);
  let reason = `[Errno ${number}] ${strerror(name ?? number)}`;
  if (typeof e.path === 'string') {
    reason += `: ${pyStrRepr(e.path)}`;
    if (typeof e.dest === 'string') reason += ` -> ${pyStrRepr(e.dest)}`;
  }
  return reason;
}

/** The `[Errno N] text` part of a kernel error that already reads like Python's OSError. */
function kernelOsReason(message: string): string {
  const m = /\[Errno \d+\][\s\S]*$/.exec(message);
  return m ? m[0] : message;
}

/**
 * Maps anything a command threw to the client's errno, reason and tb
 * (spec/protocol.md 1.7). `request` is the raw request body: the generic
 * errno 5 reason embeds its Python bytes repr, as Circus does.
 */
export function mapError(err: unknown, request: Uint8Array): ReplyError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
  const message = messageOf(err);
  if (e.code === 'E_MISSING_PROPERTY' && typeof e.property === 'string') {
    return messageError(`message invalid ${pyStrRepr(e.property)} is missing`);
  }
  if (e.code === 'E_NOT_FOUND' && e.kind === 'watcher' && typeof e.what === 'string') {
    return messageError(`program ${e.what} not found`);
  }
  if ((typeof e.code === 'string' && MESSAGE_CODES.has(e.code)) || e.circusErrno === Errno.MESSAGE_ERROR) {
    return messageError(message);
  }
  if (e.code === 'E_CONFLICT') return { errno: Errno.COMMAND_ERROR, reason: message, tb: null };
  if (e.code === 'E_SYSCALL' || e.code === 'E_SPAWN') {
    return { errno: Errno.OS_ERROR, reason: kernelOsReason(message), tb: null };
  }
  if (typeof e.errno === 'number' && typeof e.syscall === 'string') {
    return { errno: Errno.OS_ERROR, reason: nodeSystemReason(e), tb: null };
  }
  const tb = typeof e.stack === 'string' ? e.stack : null;
  return { errno: Errno.COMMAND_ERROR, reason: `command ${pyBytesRepr(request)}: ${message}`, tb };
}
