/**
 * Circus's `to_signum` (spec/protocol.md 2.8) with its exact errors: an
 * unparsable string is errno 3 `signal invalid`, an unknown name errno 5
 * (Python's attribute error text).
 */
import { constants } from 'node:os';
import { ArgumentError, CommandError } from '../../kernel';

const TABLE = new Map<string, number>(Object.entries(constants.signals as Record<string, number>));
TABLE.set('SIGRTMIN', 34);
TABLE.set('SIGRTMAX', 64);
if (TABLE.has('SIGCHLD')) TABLE.set('SIGCLD', TABLE.get('SIGCHLD') as number);

/** Python int() of a string: optional sign and blanks around digits. */
function pyInt(text: string): number | null {
  const t = text.trim().replace(/_/g, '');
  return /^[+-]?\d+$/.test(t) ? Number(t) : null;
}

/** Resolves an int, a numeric string or a signal name (`term`, `SIGTERM`, `SIGRTMIN+1`). */
export function toSignum(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string') throw new ArgumentError('signal invalid');
  const n = pyInt(value);
  if (n !== null) return n;
  const m = /^([\p{L}\p{N}_]+)(\+(\d+))?/u.exec(value);
  if (!m) throw new ArgumentError('signal invalid');
  let name = m[1].toUpperCase();
  if (!name.startsWith('SIG')) name = `SIG${name}`;
  const base = TABLE.get(name);
  if (base === undefined) throw new CommandError(`module 'signal' has no attribute '${name}'`);
  return base + (m[3] ? Number(m[3]) : 0);
}

/** Python int() of a pid property (number or numeric string); errno 5 with Python's text otherwise. */
export function toPid(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    const n = pyInt(value);
    if (n !== null) return n;
    throw new CommandError(`invalid literal for int() with base 10: '${value}'`);
  }
  throw new CommandError(`int() argument must be a string, a bytes-like object or a real number, not '${value === null ? 'NoneType' : typeof value}'`);
}
