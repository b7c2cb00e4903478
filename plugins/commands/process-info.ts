/**
 * The process info object of spec/protocol.md 2.0 (what psutil gives
 * Circus), read from /proc. A stopgap until the stats issue (#7) brings
 * the real sampler: kept small and separate on purpose.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

/** Every Linux we run on uses 100 ticks per second (Node cannot call sysconf). */
const CLK_TCK = 100;
const PAGE_SIZE = 4096;
const UNITS = ['K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];

/** The answer for a pid that vanished between listing and sampling. */
export const NO_SUCH_PROCESS = 'No such process (stopped?)';

/** One process as `stats`/`dstats` report it. */
export interface ProcessInfo {
  mem_info1: string;
  mem_info2: string;
  cpu: number | string;
  mem: number | string;
  ctime: string;
  pid: number;
  username: string;
  nice: number | string;
  create_time: number;
  age: number;
  cmdline: string;
  children: (ProcessInfo | string)[];
  started?: number;
  wid?: number;
}

/** Circus's bytes2human: binary units, two decimals, bytes below 1K as `<n>B`. */
export function bytes2human(n: number): string {
  for (let i = UNITS.length - 1; i >= 0; i -= 1) {
    const prefix = 2 ** (10 * (i + 1));
    if (n >= prefix) return `${(n / prefix).toFixed(2)}${UNITS[i]}`;
  }
  return `${n}B`;
}

/**
 * Circus's ctime rendering (quirk): minutes modulo 60, zero-padded
 * seconds, then the first two characters of the microseconds integer
 * without padding (1.005 s -> `0:01.50`, 0 -> `0:00.0`).
 */
export function formatCtime(seconds: number): string {
  const whole = Math.floor(seconds);
  const micro = Math.round((seconds - whole) * 1e6);
  const minutes = Math.floor(whole / 60) % 60;
  const secs = String(whole % 60).padStart(2, '0');
  return `${minutes}:${secs}.${String(micro).slice(0, 2)}`;
}

interface StatFields {
  state: string;
  ticks: number;
  nice: number;
  startTicks: number;
  vsize: number;
  rssPages: number;
}

function parseStat(text: string): StatFields {
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); field N is rest[N - 3].
  const f = (n: number): number => Number(rest[n - 3] ?? 0);
  return {
    state: rest[0] ?? '?',
    // psutil's cpu_times: user, system, children_user, children_system, iowait.
    ticks: f(14) + f(15) + f(16) + f(17) + f(42),
    nice: f(19),
    startTicks: f(22),
    vsize: f(23),
    rssPages: f(24),
  };
}

let bootTime: number | null = null;
function boot(): number {
  if (bootTime === null) {
    const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('btime '));
    bootTime = line ? Number(line.slice(6)) : 0;
  }
  return bootTime;
}

let users: Map<number, string> | null = null;
function userName(uid: number): string {
  if (!users) {
    users = new Map();
    try {
      for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
        const parts = line.split(':');
        if (parts.length > 2 && !users.has(Number(parts[2]))) users.set(Number(parts[2]), parts[0]);
      }
    } catch {
      // Without /etc/passwd the numeric id is the best name there is.
    }
  }
  return users.get(uid) ?? String(uid);
}

/** First word of argv[0], base name: what Circus shows as `cmdline`. */
function commandName(cmdline: string): string {
  const argv0 = cmdline.split('\0')[0] ?? '';
  const first = argv0.trim().split(/\s+/)[0] ?? '';
  return first === '' ? 'N/A' : path.basename(first);
}

/**
 * Samples processes. CPU percent is measured since the previous sample of
 * the same pid (psutil's `cpu_percent(interval=0)`): 0.0 the first time.
 */
export class ProcessInfoSampler {
  private readonly last = new Map<number, { ticks: number; at: number }>();

  /** Info of `pid`, or {@link NO_SUCH_PROCESS} when it is gone. */
  async info(pid: number): Promise<ProcessInfo | string> {
    let stat: StatFields;
    let status: string;
    let cmdline: string;
    try {
      [stat, status, cmdline] = await Promise.all([
        readFile(`/proc/${pid}/stat`, 'utf8').then(parseStat),
        readFile(`/proc/${pid}/status`, 'utf8'),
        readFile(`/proc/${pid}/cmdline`, 'utf8'),
      ]);
    } catch {
      this.last.delete(pid);
      return NO_SUCH_PROCESS;
    }
    const now = Date.now() / 1000;
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? -1);
    const rss = stat.rssPages * PAGE_SIZE;
    const createTime = boot() + stat.startTicks / CLK_TCK;
    return {
      mem_info1: bytes2human(rss),
      mem_info2: bytes2human(stat.vsize),
      cpu: this.cpuPercent(pid, stat.ticks, now),
      mem: Math.round((rss / os.totalmem()) * 100 * 1000) / 1000,
      ctime: formatCtime(stat.ticks / CLK_TCK),
      pid,
      username: userName(uid),
      nice: stat.state === 'Z' ? 'Zombie' : stat.nice,
      create_time: createTime,
      age: Math.max(0, now - createTime),
      cmdline: commandName(cmdline),
      children: [],
    };
  }

  /** circusd's own info (`dstats`): CPU measured over 10 ms, no children. */
  async self(): Promise<ProcessInfo | string> {
    await this.info(process.pid);
    await new Promise((resolve) => setTimeout(resolve, 10));
    return this.info(process.pid);
  }

  /** Forgets pids no longer listed, so the map does not grow forever. */
  retain(pids: Iterable<number>): void {
    const keep = new Set(pids);
    keep.add(process.pid);
    for (const pid of this.last.keys()) if (!keep.has(pid)) this.last.delete(pid);
  }

  private cpuPercent(pid: number, ticks: number, now: number): number {
    const prev = this.last.get(pid);
    this.last.set(pid, { ticks, at: now });
    if (!prev || now <= prev.at) return 0.0;
    const used = (ticks - prev.ticks) / CLK_TCK;
    return Math.round((used / (now - prev.at)) * 1000) / 10;
  }
}
