/**
 * Descriptors circusd inherited from whoever started it (a shell's
 * `exec 9>file`, a CI runner's pipes) carry no close-on-exec flag, and
 * libuv's spawn closes nothing above the stdio it was given: without this,
 * every worker would inherit them (Circus avoids it with Python's
 * close_fds=True). Marking them close-on-exec once at start-up keeps them
 * usable by circusd itself and out of every child.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { setCloseOnExec } from '../sockets/libc';

const O_CLOEXEC = 0o2000000;

/** The descriptors above 2 that lack close-on-exec, read from /proc (Linux). */
export function inheritableDescriptors(): number[] {
  let names: string[];
  try {
    names = readdirSync('/proc/self/fd');
  } catch {
    return []; // No /proc: nothing we can list.
  }
  const open: number[] = [];
  for (const name of names) {
    const fd = Number(name);
    if (!Number.isInteger(fd) || fd <= 2) continue;
    try {
      // fdinfo's `flags:` is octal and includes O_CLOEXEC; reading it needs no FFI.
      const match = /^flags:\s*([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
      if (match && (parseInt(match[1], 8) & O_CLOEXEC) === 0) open.push(fd);
    } catch {
      // Closed meanwhile (the readdir handle itself): nothing to do.
    }
  }
  return open;
}

/** Marks every inherited descriptor above 2 close-on-exec; returns the ones it changed. */
export function closeInheritedOnExec(): number[] {
  const fds = inheritableDescriptors();
  for (const fd of fds) setCloseOnExec(fd);
  return fds;
}
