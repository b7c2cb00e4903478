/**
 * What circus-top knows: the latest `stat.*` sample of every watcher and
 * process (spec/protocol.md 5.2), as decoded by protocol/stats-topics.ts
 * (Circus's StatsClient split, 5.3).
 */
import type { DecodedStat } from '../../protocol/stats-topics';

interface Entry {
  stat: Record<string, unknown>;
  /** ms since epoch of the last sample. */
  at: number;
}

/** One watcher as the view draws it. */
export interface WatcherView {
  readonly name: string;
  readonly aggregate: Record<string, unknown> | null;
  /** Per-process (or per-socket) samples still fresh. */
  readonly rows: readonly Record<string, unknown>[];
}

/**
 * The latest samples. Per-pid rows not refreshed within the process
 * timeout are dropped (`--process-timeout`); so is a watcher whose
 * aggregate went stale as long, since its topics have disappeared (5.2).
 */
export class StatsModel {
  private readonly watchers = new Map<string, { aggregate: Entry | null; rows: Map<string, Entry> }>();

  constructor(private readonly processTimeoutMs: number) {}

  /** Records one frame received at `now`. */
  add(frame: DecodedStat, now: number): void {
    let w = this.watchers.get(frame.watcher);
    if (w === undefined) {
      w = { aggregate: null, rows: new Map() };
      this.watchers.set(frame.watcher, w);
    }
    if (frame.subtopic === null) w.aggregate = { stat: frame.body, at: now };
    else w.rows.set(frame.subtopic, { stat: frame.body, at: now });
  }

  /** Whether anything was ever received (and is still fresh). */
  get empty(): boolean {
    return this.watchers.size === 0;
  }

  /** Drops what is older than the process timeout, then lists the watchers sorted by name. */
  view(now: number): WatcherView[] {
    const limit = now - this.processTimeoutMs;
    for (const [name, w] of this.watchers) {
      for (const [key, entry] of w.rows) if (entry.at < limit) w.rows.delete(key);
      if (w.aggregate !== null && w.aggregate.at < limit) w.aggregate = null;
      if (w.aggregate === null && w.rows.size === 0) this.watchers.delete(name);
    }
    return [...this.watchers.keys()].sort().map((name) => {
      const w = this.watchers.get(name) as { aggregate: Entry | null; rows: Map<string, Entry> };
      return { name, aggregate: w.aggregate?.stat ?? null, rows: [...w.rows.values()].map((e) => e.stat) };
    });
  }
}
