import { human2bytes } from '../../protocol/human-size';

/** A memory limit: a percentage of physical memory, or a number of bytes (RSS). */
export type MemoryLimit = { readonly percent: number } | { readonly bytes: number };

// What Python's float() accepts (besides inf/nan, which make no sense as limits).
const PY_FLOAT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * `max_mem`/`min_mem` as Circus reads them (spec/daemon.md 6.8): a number is
 * a percentage; otherwise a size with a unit (`1M`, `100M`) in bytes.
 * Throws for anything else.
 */
export function parseMemoryLimit(text: string): MemoryLimit {
  if (PY_FLOAT.test(text)) return { percent: Number(text) };
  try {
    return { bytes: human2bytes(text) };
  } catch (err) {
    throw new Error(`${text} is neither a percentage (90) nor a size with a unit (512M)`, { cause: err });
  }
}

/** One check's names, in the order Circus evaluates them; also the statsd bucket suffixes. */
export const CHECKS = ['over_cpu', 'under_cpu', 'over_memory', 'under_memory', 'over_health'] as const;
/** A resource check. */
export type Check = (typeof CHECKS)[number];

/** The extremes of a set of process records (all 0 when there is none). */
export interface Sample {
  readonly maxCpu: number;
  readonly minCpu: number;
  readonly maxMem: number;
  readonly minMem: number;
  readonly maxRss: number;
  readonly minRss: number;
}

/** The limits of one resource_watcher. */
export interface Thresholds {
  /** 0 disables. */
  readonly maxCpu: number;
  readonly minCpu?: number;
  readonly maxMem: MemoryLimit;
  readonly minMem?: MemoryLimit;
  /** 0 disables. */
  readonly healthThreshold: number;
}

function numberOr(value: unknown, unavailable: number): number {
  if (typeof value === 'number') return value;
  if (value === 'N/A') return unavailable;
  const n = Number(value);
  return Number.isFinite(n) ? n : unavailable;
}

function rssOf(value: unknown): number {
  if (typeof value !== 'string' || value === 'N/A') return 0;
  return human2bytes(value);
}

/**
 * Step 2 of spec 6.8 over `stats` records: cpu and mem "N/A" count as 100,
 * an unreadable RSS as 0; records that are not objects (a vanished process)
 * are skipped.
 */
export function sampleOf(records: readonly unknown[]): Sample {
  const cpus: number[] = [];
  const mems: number[] = [];
  const rss: number[] = [];
  for (const r of records) {
    if (typeof r !== 'object' || r === null) continue;
    const rec = r as Record<string, unknown>;
    cpus.push(numberOr(rec.cpu, 100));
    mems.push(numberOr(rec.mem, 100));
    rss.push(rssOf(rec.mem_info1));
  }
  if (cpus.length === 0) return { maxCpu: 0, minCpu: 0, maxMem: 0, minMem: 0, maxRss: 0, minRss: 0 };
  return {
    maxCpu: Math.max(...cpus),
    minCpu: Math.min(...cpus),
    maxMem: Math.max(...mems),
    minMem: Math.min(...mems),
    maxRss: Math.max(...rss),
    minRss: Math.min(...rss),
  };
}

/** Step 3's conditions: which checks this sample violates. */
export function violations(s: Sample, t: Thresholds): Set<Check> {
  const out = new Set<Check>();
  if (t.maxCpu && s.maxCpu > t.maxCpu) out.add('over_cpu');
  if (t.minCpu !== undefined && s.minCpu <= t.minCpu) out.add('under_cpu');
  if ('percent' in t.maxMem ? s.maxMem > t.maxMem.percent : s.maxRss > t.maxMem.bytes) out.add('over_memory');
  // Circus compares the byte form against the percentage (always "under"); we compare bytes (quirk Q30).
  if (t.minMem !== undefined && ('percent' in t.minMem ? s.minMem < t.minMem.percent : s.minRss < t.minMem.bytes)) {
    out.add('under_memory');
  }
  if (t.healthThreshold && (s.maxCpu + s.maxMem) / 2 > t.healthThreshold) out.add('over_health');
  return out;
}

/**
 * The consecutive-violation counters of each index (`parent`, or a child
 * pid): a violation increments its counter, a pass without it resets it.
 */
export class ViolationCounters {
  private readonly counts = new Map<string, Record<Check, number>>();

  /** Applies one pass; returns true when some counter of the index is above `maxCount`. */
  update(index: string, violated: ReadonlySet<Check>, maxCount: number): boolean {
    let c = this.counts.get(index);
    if (!c) {
      c = { over_cpu: 0, under_cpu: 0, over_memory: 0, under_memory: 0, over_health: 0 };
      this.counts.set(index, c);
    }
    for (const check of CHECKS) c[check] = violated.has(check) ? c[check] + 1 : 0;
    return CHECKS.some((check) => (c as Record<Check, number>)[check] > maxCount);
  }

  /** The current counters of an index (zeros when unknown). */
  get(index: string): Readonly<Record<Check, number>> {
    return this.counts.get(index) ?? { over_cpu: 0, under_cpu: 0, over_memory: 0, under_memory: 0, over_health: 0 };
  }

  /** Starts the index over after its watcher was restarted. */
  reset(index: string): void {
    this.counts.delete(index);
  }

  /** Forgets every child index not in `alive` (children that exited). */
  retain(alive: ReadonlySet<string>): void {
    for (const index of [...this.counts.keys()]) if (index !== 'parent' && !alive.has(index)) this.counts.delete(index);
  }
}
