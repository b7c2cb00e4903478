/**
 * Stats frames to panel samples, and the batching that keeps the websocket
 * at a few messages per second: the stats streamer publishes a burst of
 * frames every second (one per process plus one per watcher), the panel
 * wants them as one message.
 */
import type { DecodedStat } from '../../../protocol/stats-topics';
import type { StatSample } from './types';

/** The figure, or null for Circus's "N/A" (or anything that is not a number). */
function figure(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * A panel sample from a decoded `stat.*` message, or null for what is not a
 * watcher's process or aggregate (`stat.sockets*` carries socket reads).
 * `name` maps the wire's res_name to the watcher's own name where known.
 */
export function toStatSample(stat: DecodedStat, name: (resName: string) => string = (n) => n): StatSample | null {
  if (stat.watcher === 'sockets') return null;
  const body = stat.body;
  if (stat.subtopic === null) {
    return { watcher: name(stat.watcher), pid: null, cpu: figure(body.cpu), mem: figure(body.mem), mem_info1: null };
  }
  const pid = Number(stat.subtopic);
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  const rss = body.mem_info1;
  return {
    watcher: name(stat.watcher),
    pid,
    cpu: figure(body.cpu),
    mem: figure(body.mem),
    mem_info1: typeof rss === 'string' && rss !== 'N/A' ? rss : null,
  };
}

/** Timer functions, replaceable in unit tests. */
export interface BatchTimers {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: BatchTimers = {
  now: () => Date.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Options of {@link StatsBatcher}. */
export interface StatsBatcherOptions {
  /** Shortest gap between two flushes, ms; default 250 (at most 4 messages a second). */
  readonly intervalMs?: number;
  /** How long the first sample of a batch waits for the rest of its burst, ms; default 50. */
  readonly gatherMs?: number;
  readonly timers?: BatchTimers;
}

/**
 * Collects samples and hands them to `flush` in batches: a batch opens
 * with its first sample and closes after the gather window, or later when
 * the previous flush was less than the interval ago. Within a batch the
 * latest sample of each (watcher, pid) wins.
 */
export class StatsBatcher {
  private readonly intervalMs: number;
  private readonly gatherMs: number;
  private readonly timers: BatchTimers;
  private readonly pending = new Map<string, StatSample>();
  private timer: unknown = undefined;
  private lastFlush = -Infinity;
  private closed = false;

  constructor(
    private readonly flush: (samples: StatSample[], time: number) => void,
    opts: StatsBatcherOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 250;
    this.gatherMs = opts.gatherMs ?? 50;
    this.timers = opts.timers ?? realTimers;
  }

  /** Adds a sample to the open batch (opening one if needed). */
  add(sample: StatSample): void {
    if (this.closed) return;
    this.pending.set(`${sample.watcher}\u0000${sample.pid ?? ''}`, sample);
    if (this.timer !== undefined) return;
    const now = this.timers.now();
    const wait = Math.max(this.gatherMs, this.lastFlush + this.intervalMs - now);
    this.timer = this.timers.set(() => this.fire(), wait);
  }

  /** Drops what is pending and the timer; later samples are ignored. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private fire(): void {
    this.timer = undefined;
    if (this.closed || this.pending.size === 0) return;
    const samples = [...this.pending.values()];
    this.pending.clear();
    const now = this.timers.now();
    this.lastFlush = now;
    this.flush(samples, now / 1000);
  }
}
