import { Random } from '../clock';
import { CircusProcess } from '../process/process';
import { allocateWid } from './wid';

/**
 * A watcher's processes keyed by pid, plus the worker ids reserved by spawn
 * attempts in flight, so two attempts never get the same wid.
 */
export class ProcessTable {
  private readonly procs = new Map<number, CircusProcess>();
  private readonly reserved = new Set<number>();

  get size(): number {
    return this.procs.size;
  }

  has(pid: number): boolean {
    return this.procs.has(pid);
  }

  add(p: CircusProcess): void {
    this.procs.set(p.pid, p);
  }

  /** Removes a process; false when it was not in the table. */
  delete(pid: number): boolean {
    return this.procs.delete(pid);
  }

  clear(): void {
    this.procs.clear();
  }

  /** Processes in insertion (spawn) order. */
  values(): CircusProcess[] {
    return [...this.procs.values()];
  }

  /** Processes sorted by pid. */
  byPid(): CircusProcess[] {
    return this.values().sort((a, b) => a.pid - b.pid);
  }

  /** Newest first; equal start times keep the later spawn first. */
  newestFirst(): CircusProcess[] {
    return this.values()
      .reverse()
      .sort((a, b) => b.startedMonotonic - a.startedMonotonic);
  }

  /**
   * Processes older than `maxAge + R` (spec 2.12), R drawn in
   * [0, variance] for every process at every call.
   */
  expired(now: number, maxAge: number, variance: number, random: Random): CircusProcess[] {
    return this.values().filter((p) => !p.stopping && now - p.startedMonotonic > maxAge + random.int(0, variance));
  }

  /** Reserves the smallest free wid (spec 2.5), or null when none is free. */
  reserveWid(numprocesses: number): number | null {
    const wid = allocateWid([...this.values().map((p) => p.wid), ...this.reserved], numprocesses);
    if (wid !== null) this.reserved.add(wid);
    return wid;
  }

  releaseWid(wid: number): void {
    this.reserved.delete(wid);
  }
}
