/**
 * The watchdog's table of monitored processes (spec/daemon.md 6.7): pid
 * (as the string Circus compares heartbeats with) -> watcher and time of
 * the last sign of life. Times are passed in, so the staleness rule is
 * testable without waiting.
 */

/** One monitored process. */
export interface MonitoredPid {
  readonly pid: string;
  readonly watcher: string;
  /** Epoch seconds of the spawn, discovery or last heartbeat. */
  readonly lastActivity: number;
}

/** Monitored pids of the matching watchers. */
export class HeartbeatTable {
  private readonly pids = new Map<string, { watcher: string; lastActivity: number }>();

  /** Starts (or restarts) monitoring `pid` of `watcher` as alive at `now`. */
  monitor(pid: string, watcher: string, now: number): void {
    this.pids.set(pid, { watcher, lastActivity: now });
  }

  /** Stops monitoring `pid`; returns its watcher, or undefined if it was not monitored. */
  forget(pid: string): string | undefined {
    const entry = this.pids.get(pid);
    this.pids.delete(pid);
    return entry?.watcher;
  }

  /** A heartbeat of `pid` at `now`; false when the pid is not monitored. */
  touch(pid: string, now: number): boolean {
    const entry = this.pids.get(pid);
    if (!entry) return false;
    entry.lastActivity = now;
    return true;
  }

  has(pid: string): boolean {
    return this.pids.has(pid);
  }

  /** Forgets everything (a fresh discovery replaces the table). */
  clear(): void {
    this.pids.clear();
  }

  /**
   * Removes and returns every pid silent for more than `maxAge` seconds at
   * `now`. All of them in one pass: Circus stops at the first (Q29, fixed).
   */
  takeStale(now: number, maxAge: number): MonitoredPid[] {
    const stale: MonitoredPid[] = [];
    const tooOld = now - maxAge;
    for (const [pid, entry] of [...this.pids]) {
      if (entry.lastActivity < tooOld) {
        this.pids.delete(pid);
        stale.push({ pid, watcher: entry.watcher, lastActivity: entry.lastActivity });
      }
    }
    return stale;
  }

  /** The monitored pids, in insertion order. */
  entries(): MonitoredPid[] {
    return [...this.pids].map(([pid, e]) => ({ pid, watcher: e.watcher, lastActivity: e.lastActivity }));
  }
}
