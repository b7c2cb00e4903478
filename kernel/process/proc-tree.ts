import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/**
 * A process seen in /proc at one moment. `startTicks` (field 22 of
 * /proc/<pid>/stat) tells a reused pid from the original one, so a snapshot
 * never signals a stranger.
 */
export interface ProcessRef {
  readonly pid: number;
  readonly ppid: number;
  readonly startTicks: string;
  /** One-letter state (R, S, Z...). */
  readonly state: string;
}

/** Inspection and signalling of process trees (the no-orphan guarantee, Q16). */
export interface ProcessTree {
  /** Direct children of `pid`. */
  children(pid: number): Promise<ProcessRef[]>;
  /** Every descendant of `pid` (children, grandchildren, ...), parents first. */
  descendants(pid: number): Promise<ProcessRef[]>;
  /** True while the pid names the same process and it is not a zombie. */
  alive(ref: ProcessRef): Promise<boolean>;
  /** Sends `signum` if the pid still names the same process; false otherwise. */
  signal(ref: ProcessRef, signum: number): Promise<boolean>;
}
export const ProcessTree = Symbol('ProcessTree');

function parseStat(text: string): ProcessRef | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  // Fields after "(comm)": state is field 3, ppid 4, starttime 22.
  const rest = text.slice(close + 2).split(' ');
  return { pid, ppid: Number(rest[1]), startTicks: rest[19] ?? '', state: rest[0] ?? '' };
}

async function readStat(pid: number): Promise<ProcessRef | null> {
  try {
    return parseStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    // The process is gone: absence is the answer, not an error.
    return null;
  }
}

/**
 * Linux implementation. Children come from /proc/<pid>/task/<tid>/children
 * (cheap: only the subtree is read); where the kernel lacks
 * CONFIG_PROC_CHILDREN it falls back to scanning /proc/<pid>/stat of every
 * process, sharing one scan between concurrent callers (a stop of hundreds
 * of processes would otherwise scan /proc hundreds of times).
 */
export class LinuxProcessTree implements ProcessTree {
  private scan: Promise<ProcessRef[]> | null = null;
  private childrenFiles: boolean | null = null;

  private table(): Promise<ProcessRef[]> {
    if (!this.scan) {
      this.scan = (async () => {
        const names = await readdir('/proc');
        const refs = await Promise.all(names.filter((n) => /^\d+$/.test(n)).map((n) => readStat(Number(n))));
        return refs.filter((r): r is ProcessRef => r !== null);
      })().finally(() => {
        this.scan = null;
      });
    }
    return this.scan;
  }

  /** Child pids from the children files, or null when they are unavailable. */
  private async childPids(pid: number): Promise<number[] | null> {
    if (this.childrenFiles === null) this.childrenFiles = existsSync('/proc/self/task/' + process.pid + '/children');
    if (!this.childrenFiles) return null;
    let tids: string[];
    try {
      tids = await readdir(`/proc/${pid}/task`);
    } catch {
      return [];
    }
    const lists = await Promise.all(
      tids.map((tid) =>
        readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => ''),
      ),
    );
    return [...new Set(lists.join(' ').split(/\s+/).filter(Boolean).map(Number))];
  }

  async children(pid: number): Promise<ProcessRef[]> {
    const pids = await this.childPids(pid);
    if (pids === null) return (await this.table()).filter((r) => r.ppid === pid);
    const refs = await Promise.all(pids.map((p) => readStat(p)));
    return refs.filter((r): r is ProcessRef => r !== null && r.ppid === pid);
  }

  async descendants(pid: number): Promise<ProcessRef[]> {
    if (this.childrenFiles !== false && (await this.childPids(pid)) !== null) {
      const out: ProcessRef[] = [];
      const seen = new Set<number>([pid]);
      let frontier = [pid];
      while (frontier.length > 0) {
        const level = (await Promise.all(frontier.map((p) => this.children(p)))).flat();
        frontier = [];
        for (const ref of level) {
          if (seen.has(ref.pid)) continue;
          seen.add(ref.pid);
          out.push(ref);
          frontier.push(ref.pid);
        }
      }
      return out;
    }
    const table = await this.table();
    const byParent = new Map<number, ProcessRef[]>();
    for (const r of table) {
      const list = byParent.get(r.ppid) ?? [];
      list.push(r);
      byParent.set(r.ppid, list);
    }
    const out: ProcessRef[] = [];
    const queue = [pid];
    const seen = new Set<number>([pid]);
    while (queue.length > 0) {
      const parent = queue.shift() as number;
      for (const child of byParent.get(parent) ?? []) {
        if (seen.has(child.pid)) continue;
        seen.add(child.pid);
        out.push(child);
        queue.push(child.pid);
      }
    }
    return out;
  }

  async alive(ref: ProcessRef): Promise<boolean> {
    const now = await readStat(ref.pid);
    return now !== null && now.startTicks === ref.startTicks && now.state !== 'Z';
  }

  async signal(ref: ProcessRef, signum: number): Promise<boolean> {
    const now = await readStat(ref.pid);
    if (!now || now.startTicks !== ref.startTicks) return false;
    try {
      process.kill(ref.pid, signum);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
      throw err;
    }
  }
}
