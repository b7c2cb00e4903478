/**
 * Reads one process from /proc without psutil (spec/daemon.md 6.4.1):
 * `stat` (state, CPU ticks, nice, start time), `statm` (RSS and VMS in
 * pages), the owner of the /proc entry and `cmdline`. Synchronous on
 * purpose: these are small kernel-generated files, and a tight loop of
 * readFileSync over 1000 pids costs far less than 3000 promises. The root
 * and the file reader are seams so the error paths (EACCES, ENOENT) can be
 * tested with a fake /proc even when the suite runs as root.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** How the reader reaches the files (tests give a fake). */
export interface ProcFiles {
  /** The text of a file; throws a Node error with `code` (ENOENT, EACCES...). */
  read(file: string): string;
  /** Numeric owner of a path; throws like {@link read}. */
  owner(file: string): number;
}

/** One buffer for every read: /proc files are small, and allocating per read costs more than the read. */
const buffer = Buffer.alloc(64 * 1024);

/** open + read into the shared buffer + close: about half the cost of readFileSync on /proc files. */
function readSmall(file: string): string {
  const fd = openSync(file, 'r');
  try {
    let total = 0;
    for (;;) {
      const n = readSync(fd, buffer, total, buffer.length - total, null);
      total += n;
      if (n === 0) return buffer.toString('latin1', 0, total);
      // A file larger than the buffer (a huge cmdline): fall back to the general reader.
      if (total === buffer.length) return readFileSync(file, 'latin1');
    }
  } finally {
    closeSync(fd);
  }
}

/** The real filesystem. */
export const realProcFiles: ProcFiles = {
  read: readSmall,
  owner: (file) => statSync(file).uid,
};

/** What one read of a pid gives; null fields could not be read (EACCES). */
export interface RawProcess {
  readonly pid: number;
  /** One-letter state (`Z` zombie), null when `stat` was unreadable. */
  readonly state: string | null;
  /** user + system + children user + children system + iowait ticks (psutil's cpu_times sum). */
  readonly ticks: number | null;
  readonly nice: number | null;
  /** Start time in ticks after boot (also tells a reused pid apart). */
  readonly startTicks: number | null;
  readonly rssBytes: number | null;
  readonly vmsBytes: number | null;
  readonly uid: number | null;
  /** Raw `cmdline` (NUL-separated argv), null when unreadable or skipped. */
  readonly cmdline: string | null;
}

/** Errors that mean the process is gone (not an access problem). */
const GONE = new Set(['ENOENT', 'ESRCH']);
/** Errors that mean we may not look (psutil's AccessDenied: fields "N/A"). */
const DENIED = new Set(['EACCES', 'EPERM']);

/** Thrown (internally) when the pid vanished mid-read. */
class Gone extends Error {}

function codeOf(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
}

/** Reads /proc/<pid>/* for the sampler. */
export class ProcReader {
  constructor(
    readonly root = '/proc',
    private readonly files: ProcFiles = realProcFiles,
    readonly pageSize = 4096,
  ) {}

  /**
   * The process, or null when it does not exist (any more). Other I/O
   * errors propagate. `knowsCommand(startTicks)` true skips `cmdline` (the
   * caller already has it for that process): it is a third of the cost.
   */
  read(pid: number, knowsCommand?: (startTicks: number | null) => boolean): RawProcess | null {
    try {
      const stat = this.part(pid, 'stat', (t) => parseStat(t));
      const statm = this.part(pid, 'statm', (t) => t.trim().split(/\s+/).map(Number));
      const uid = this.part(pid, null, () => this.files.owner(path.join(this.root, String(pid))));
      const cmdline = knowsCommand?.(stat?.startTicks ?? null) ? null : this.part(pid, 'cmdline', (t) => t);
      return {
        pid,
        state: stat?.state ?? null,
        ticks: stat?.ticks ?? null,
        nice: stat?.nice ?? null,
        startTicks: stat?.startTicks ?? null,
        vmsBytes: statm ? statm[0] * this.pageSize : null,
        rssBytes: statm ? statm[1] * this.pageSize : null,
        uid,
        cmdline,
      };
    } catch (err) {
      if (err instanceof Gone) return null;
      throw err;
    }
  }

  /** Direct children from `/proc/<pid>/task/<pid>/children`; null when the kernel lacks that file. */
  children(pid: number): number[] | null {
    try {
      const text = this.files.read(path.join(this.root, String(pid), 'task', String(pid), 'children'));
      return text.trim() === '' ? [] : text.trim().split(/\s+/).map(Number);
    } catch (err) {
      if (GONE.has(codeOf(err))) return this.exists(pid) ? null : [];
      if (DENIED.has(codeOf(err))) return [];
      throw err;
    }
  }

  /** Boot time (epoch seconds) from `/proc/stat`'s btime. */
  bootTime(): number {
    const line = this.files.read(path.join(this.root, 'stat')).split('\n').find((l) => l.startsWith('btime '));
    return line ? Number(line.slice(6)) : 0;
  }

  private exists(pid: number): boolean {
    try {
      this.files.owner(path.join(this.root, String(pid)));
      return true;
    } catch {
      // Any failure to stat the entry means there is nothing to read children from.
      return false;
    }
  }

  /** One file: its parsed value, null when denied; throws Gone when the process vanished. */
  private part<T>(pid: number, file: string | null, parse: (text: string) => T): T | null {
    try {
      if (file === null) return parse('');
      return parse(this.files.read(path.join(this.root, String(pid), file)));
    } catch (err) {
      const code = codeOf(err);
      if (GONE.has(code)) throw new Gone(`process ${pid} vanished`);
      if (DENIED.has(code)) return null;
      throw err;
    }
  }
}

/** The fields of `/proc/<pid>/stat` the sampler uses (after the `(comm)`, which may hold spaces). */
export function parseStat(text: string): { state: string; ticks: number; nice: number; startTicks: number } {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error(`malformed /proc stat line: ${text.slice(0, 80)}`);
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); field N is rest[N - 3].
  const f = (n: number): number => Number(rest[n - 3] ?? 0);
  return {
    state: rest[0] ?? '?',
    ticks: f(14) + f(15) + f(16) + f(17) + f(42),
    nice: f(19),
    startTicks: f(22),
  };
}
