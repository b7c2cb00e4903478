/**
 * Signal names and numbers the way Circus's `to_signum` reads them
 * (spec/daemon.md 2.1 `stop_signal`): integers, names with or without the
 * `SIG` prefix in any case, `NAME+N` offsets, and only the leading `\w+` run
 * of the text is the name.
 */

import { constants } from 'os';
import { CastError, toInt } from './cast';

function buildTable(): ReadonlyMap<string, number> {
  const table = new Map<string, number>(Object.entries(constants.signals as Record<string, number>));
  // Python's signal module also has these where the platform does.
  if (table.has('SIGCHLD') && !table.has('SIGCLD')) table.set('SIGCLD', table.get('SIGCHLD')!);
  if (process.platform === 'linux') {
    // glibc reserves 32 and 33 for threads, so Python reports 34..64.
    table.set('SIGRTMIN', 34);
    table.set('SIGRTMAX', 64);
  }
  return table;
}

const SIGNALS = buildTable();
// Canonical names win over aliases when rendering a number.
const PREFERRED = ['SIGABRT', 'SIGCHLD', 'SIGIO'];

/**
 * Circus `to_signum`: resolves `3`, `"15"`, `quit`, `INT`, `SIGTERM`,
 * `SIGRTMIN+1`, `TERM foo` (only the leading word counts). Throws
 * {@link CastError} for anything else.
 */
export function toSignum(text: string): number {
  try {
    return toInt(text);
  } catch {
    // not an integer: try a name
  }
  const m = /^([\p{L}\p{N}_]+)(\+([0-9]+))?/u.exec(text);
  if (m) {
    let name = m[1].toUpperCase();
    if (!name.startsWith('SIG')) name = `SIG${name}`;
    const base = SIGNALS.get(name);
    if (base !== undefined) return base + (m[3] ? Number(m[3]) : 0);
  }
  throw new CastError(`invalid signal '${text}' (expected a number or a name such as TERM, SIGINT or SIGRTMIN+1)`);
}

/** The name of a signal number (`15` -> `SIGTERM`, `35` -> `SIGRTMIN+1` on Linux), or undefined. */
export function signalName(signum: number): string | undefined {
  for (const name of PREFERRED) if (SIGNALS.get(name) === signum) return name;
  for (const [name, n] of SIGNALS) {
    if (n === signum && name !== 'SIGRTMIN' && name !== 'SIGRTMAX') return name;
  }
  const min = SIGNALS.get('SIGRTMIN');
  const max = SIGNALS.get('SIGRTMAX');
  if (min !== undefined && max !== undefined && signum >= min && signum <= max) {
    return signum === min ? 'SIGRTMIN' : `SIGRTMIN+${signum - min}`;
  }
  return undefined;
}
