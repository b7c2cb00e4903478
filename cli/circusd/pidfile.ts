/**
 * circusd's pidfile (spec/daemon.md 7.2): refuses to start over a live
 * foreign pid, overwrites garbage or dead pids, writes `<pid>\n` with mode
 * 0644 whatever the umask, and removes the file at exit only if it still holds
 * our pid.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PidfileError } from './errors';

/** Whether a process with this pid exists (EPERM means it exists but is not ours). */
export function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The positive integer a pidfile holds, or null (missing, empty, garbage, 0, negative). */
function readPid(file: string): number | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new PidfileError('CIRCUSD_PIDFILE_IO', `cannot read pid file '${file}': ${(error as Error).message}`);
  }
  const trimmed = text.trim();
  // Python's int(): optional sign, digits, surrounding whitespace.
  if (!/^[+-]?\d+$/.test(trimmed)) return null;
  const pid = Number(trimmed);
  return pid > 0 && Number.isSafeInteger(pid) ? pid : null;
}

/** One pidfile path, created for one pid. */
export class Pidfile {
  private ownPid: number | null = null;

  constructor(public fname: string) {}

  /** The pid the file names if that process is alive, else null. */
  validate(): number | null {
    const pid = readPid(this.fname);
    return pid !== null && pidIsAlive(pid) ? pid : null;
  }

  /**
   * Writes `pid` into the file. Throws a PidfileError when another live
   * process's pid is in it (the message is Circus's, quirk Q39, meant for
   * stdout) or when the directory does not exist. The write goes through a
   * temporary file renamed into place, so a reader (the `--daemon` parent, a
   * service manager) never sees a half-written pidfile.
   */
  create(pid: number): void {
    const current = this.validate();
    if (current !== null) {
      if (current === pid) {
        this.ownPid = pid;
        return;
      }
      throw new PidfileError('CIRCUSD_PIDFILE_STALE', `pid file '${this.fname}' is stale, current pid ${pid}`);
    }
    const dir = path.dirname(this.fname);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new PidfileError('CIRCUSD_PIDFILE_DIR', `${dir} doesn't exist. Can't create pidfile '${this.fname}'.`);
    }
    const tmp = path.join(dir, `.${path.basename(this.fname)}.${pid}.tmp`);
    try {
      const fd = fs.openSync(tmp, 'w', 0o644);
      try {
        fs.writeSync(fd, `${pid}\n`);
        // Explicit: the umask must not decide who can read the pidfile.
        fs.fchmodSync(fd, 0o644);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, this.fname);
    } catch (error) {
      fs.rmSync(tmp, { force: true });
      throw new PidfileError('CIRCUSD_PIDFILE_IO', `cannot write pid file '${this.fname}': ${(error as Error).message}`);
    }
    this.ownPid = pid;
  }

  /**
   * Removes the file if it still holds our pid (unparseable content counts as
   * ours, as in Circus). Returns an error message when removal failed, so the
   * caller can log it; never throws, because it runs on the way out.
   */
  unlink(): string | null {
    try {
      let text: string;
      try {
        text = fs.readFileSync(this.fname, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      const trimmed = text.trim();
      const holder = /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : this.ownPid;
      if (holder === this.ownPid) fs.unlinkSync(this.fname);
      return null;
    } catch (error) {
      return `cannot remove pid file '${this.fname}': ${(error as Error).message}`;
    }
  }

  /** Moves the pidfile: removes the old file (if ours) and creates the new one. */
  rename(fname: string): void {
    const pid = this.ownPid;
    this.unlink();
    this.fname = fname;
    if (pid !== null) this.create(pid);
  }
}
