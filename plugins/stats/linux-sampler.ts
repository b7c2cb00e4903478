/**
 * The process sampler on Linux: reads /proc directly (about 10 ms of CPU
 * per 1000 pids, against some 43 ms through pidusage, issue 7). One
 * instance is shared by the `stats`/`dstats` commands and the stats
 * streamer, so every pid has one CPU baseline whoever asks.
 */
import * as os from 'node:os';
import type { ProcessInfo, ProcessSampler } from '../../kernel/index';
import { buildInfo, commandName } from './info-format';
import { ProcReader } from './proc-reader';
import { UserNames } from './user-names';

/** The previous sample of a pid: CPU ticks at a time, for a process started at `startTicks`. */
interface Baseline {
  ticks: number;
  at: number;
  startTicks: number | null;
}

/** What the Linux sampler reads the machine with (tests give a fake /proc). */
export interface LinuxSamplerOptions {
  readonly reader: ProcReader;
  /** Clock ticks per second (`getconf CLK_TCK`). */
  readonly clockTicks: number;
  readonly users?: UserNames;
  readonly totalMem?: () => number;
  /** Epoch seconds. */
  readonly now?: () => number;
  /** circusd's pid (its baseline is never forgotten). */
  readonly selfPid?: number;
}

/** {@link ProcessSampler} over /proc. */
export class LinuxProcessSampler implements ProcessSampler {
  private readonly last = new Map<number, Baseline>();
  private readonly cmdlines = new Map<number, { startTicks: number | null; name: string }>();
  private boot: number | null = null;
  private readonly users: UserNames;
  private readonly now: () => number;
  private readonly totalMem: () => number;
  private readonly selfPid: number;

  constructor(private readonly opts: LinuxSamplerOptions) {
    this.users = opts.users ?? new UserNames();
    this.now = opts.now ?? (() => Date.now() / 1000);
    this.totalMem = opts.totalMem ?? (() => os.totalmem());
    this.selfPid = opts.selfPid ?? process.pid;
  }

  async info(pid: number): Promise<ProcessInfo | null> {
    return this.read(pid, this.totalMem());
  }

  async sample(pids: readonly number[]): Promise<Map<number, ProcessInfo>> {
    const out = new Map<number, ProcessInfo>();
    const total = this.totalMem();
    for (const pid of pids) {
      const info = this.read(pid, total);
      if (info !== null) out.set(pid, info);
    }
    return out;
  }

  async self(): Promise<ProcessInfo> {
    // Circus samples its own CPU over 10 ms (psutil cpu_percent(0.01)).
    this.read(this.selfPid, this.totalMem());
    await new Promise((resolve) => setTimeout(resolve, 10));
    const info = this.read(this.selfPid, this.totalMem());
    if (info === null) throw new Error(`cannot read circusd's own process ${this.selfPid} under ${this.opts.reader.root}`);
    return info;
  }

  async children(pid: number): Promise<number[] | null> {
    return this.opts.reader.children(pid);
  }

  retain(pids: Iterable<number>): void {
    const keep = new Set(pids);
    keep.add(this.selfPid);
    for (const pid of this.last.keys()) if (!keep.has(pid)) this.last.delete(pid);
    for (const pid of this.cmdlines.keys()) if (!keep.has(pid)) this.cmdlines.delete(pid);
  }

  /** One pid now; null when it is gone (its baseline dropped). */
  private read(pid: number, totalMem: number): ProcessInfo | null {
    const known = this.cmdlines.get(pid);
    const raw = this.opts.reader.read(pid, (startTicks) => known !== undefined && startTicks !== null && known.startTicks === startTicks);
    if (raw === null) {
      this.last.delete(pid);
      this.cmdlines.delete(pid);
      return null;
    }
    const now = this.now();
    const tck = this.opts.clockTicks;
    const createTime = raw.startTicks === null ? null : this.bootTime() + raw.startTicks / tck;
    return buildInfo({
      pid,
      cpu: raw.ticks === null ? 'N/A' : this.cpuPercent(pid, raw.ticks, raw.startTicks, now),
      rss: raw.rssBytes,
      vms: raw.vmsBytes,
      cpuSeconds: raw.ticks === null ? null : raw.ticks / tck,
      username: raw.uid === null ? null : this.users.name(raw.uid),
      nice: raw.state === 'Z' ? 'Zombie' : raw.nice,
      createTime,
      cmdline: this.commandName(pid, raw.startTicks, raw.cmdline),
      now,
      totalMem,
    });
  }

  /**
   * The command name is read once per process (same pid and start time):
   * it hardly ever changes, and a zombie's cmdline is empty, so the name
   * seen while it lived is kept.
   */
  private commandName(pid: number, startTicks: number | null, cmdline: string | null): string {
    const known = this.cmdlines.get(pid);
    if (known && startTicks !== null && known.startTicks === startTicks) return known.name;
    const name = commandName(cmdline);
    if (name !== 'N/A' && startTicks !== null) this.cmdlines.set(pid, { startTicks, name });
    return name;
  }

  private bootTime(): number {
    if (this.boot === null) this.boot = this.opts.reader.bootTime();
    return this.boot;
  }

  /** psutil's cpu_percent(interval=0): percent since the previous sample, 1 decimal; 0.0 the first time. */
  private cpuPercent(pid: number, ticks: number, startTicks: number | null, now: number): number {
    const prev = this.last.get(pid);
    this.last.set(pid, { ticks, at: now, startTicks });
    // A different start time is a reused pid: a new process, so a first sample.
    if (!prev || prev.startTicks !== startTicks || now <= prev.at) return 0.0;
    const used = (ticks - prev.ticks) / this.opts.clockTicks;
    return Math.max(0, Math.round((used / (now - prev.at)) * 1000) / 10);
  }
}
