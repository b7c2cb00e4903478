/**
 * The stats channel's wire format (spec/protocol.md 5.2): two frames per
 * message, the `stat.*` topic and a JSON body. Shared by the stats plugin
 * that publishes it and by the clients that read it (circus-top,
 * circusd-stats), so it lives here and imports nothing of kernel/ or
 * plugins/. Also Circus's renderings of sizes and CPU times (util.py).
 */
import { pyJson } from './py-json';
import { frameJsonObject, frameText } from './frame-json';

/** Every stats topic starts with this (what a client subscribes to). */
export const STATS_TOPIC_PREFIX = 'stat.';
/** The pseudo-watcher carrying circusd itself (and circusd-stats, circushttpd). */
export const CIRCUS_STATS_NAME = 'circus';
/** The pseudo-watcher carrying the circusd sockets. */
export const SOCKETS_STATS_NAME = 'sockets';
/** Watchers the streamer never samples as watchers (Circus skips them; they belong to `circus`). */
export const NON_WATCHER_NAMES: ReadonlySet<string> = new Set(['circusd', 'circushttpd', 'circusd-stats']);

/** A process record as published (`stat.<watcher>.<pid>`); "N/A" where unreadable. */
export interface StatProcessBody {
  mem_info1: string;
  mem_info2: string;
  cpu: number | string;
  mem: number | string;
  ctime: string;
  pid: number;
  username: string;
  nice: number | string;
  create_time: number | string;
  age: number | string;
  cmdline: string;
  children: unknown[];
  subtopic: number;
  /** The role for `stat.circus.<pid>` (`circusd` ...), null otherwise. */
  name: string | null;
}

/** `stat.<watcher>` and `stat.circus`: the aggregate over the pids. */
export interface StatAggregateBody {
  pid: number[];
  cpu: number | string;
  mem: number | string;
  age: number | string;
}

/** `stat.sockets.<fd>`. */
export interface StatSocketBody {
  fd: number;
  subtopic: number;
  reads: number;
  address: string;
}

/** `stat.sockets`. */
export interface StatSocketsBody {
  addresses: string[];
  reads: number;
}

/** A decoded stats message (Circus's StatsClient split, spec 5.3). */
export interface DecodedStat {
  /** `web`, `circus` or `sockets`. */
  readonly watcher: string;
  /** The pid or fd for a per-process or per-socket record; null for an aggregate. */
  readonly subtopic: string | null;
  readonly body: Record<string, unknown>;
}

const UNITS = ['K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];

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

/** `stat.<name>` plus `.<subtopic>` when there is one; the name lower-cased, spaces as `_` (res_name). */
export function statTopic(name: string, subtopic?: number | string | null): string {
  const res = name.toLowerCase().replace(/ /g, '_');
  return subtopic === undefined || subtopic === null ? `${STATS_TOPIC_PREFIX}${res}` : `${STATS_TOPIC_PREFIX}${res}.${subtopic}`;
}

/** The two frames of one stats message: Python `json.dumps` of the body (cpu, mem, age as floats). */
export function encodeStat(name: string, subtopic: number | null, body: object): [topic: string, body: string] {
  return [statTopic(name, subtopic), pyJson(body)];
}

/**
 * Circus's aggregate (stats/collector.py): cpu the mean ("N/A" if any is
 * N/A, 0.0 with no pid), mem the sum ("N/A" if any is), age the max of the
 * numeric ages ("N/A" when none is numeric).
 */
export function aggregateStats(records: readonly { pid: number; cpu: number | string; mem: number | string; age: number | string }[]): StatAggregateBody {
  const pid = records.map((r) => r.pid);
  const cpus = records.map((r) => r.cpu);
  const mems = records.map((r) => r.mem);
  const ages = records.map((r) => r.age).filter((a): a is number => typeof a === 'number');
  const cpu = cpus.some((c) => typeof c !== 'number') ? 'N/A' : cpus.length === 0 ? 0.0 : (cpus as number[]).reduce((a, b) => a + b, 0) / cpus.length;
  const mem = mems.some((m) => typeof m !== 'number') ? 'N/A' : (mems as number[]).reduce((a, b) => a + b, 0);
  const age = ages.length === 0 ? 'N/A' : Math.max(...ages);
  return { pid, cpu, mem, age };
}

/**
 * Reads a stats message back, or null when it is not one (another
 * prefix, a body that is not a JSON object). As Circus's StatsClient:
 * `stat.<watcher>.<subtopic>` is a per-process (or per-socket) record,
 * `stat.<watcher>` an aggregate.
 */
export function decodeStat(topic: string | Uint8Array, body: string | Uint8Array): DecodedStat | null {
  const t = frameText(topic);
  if (!t.startsWith(STATS_TOPIC_PREFIX)) return null;
  const parts = t.slice(STATS_TOPIC_PREFIX.length).split('.');
  if (parts.length < 1 || parts.length > 2 || parts[0] === '') return null;
  // Not a JSON object: foreign traffic for the caller.
  const payload = frameJsonObject(body);
  if (payload === null) return null;
  return { watcher: parts[0], subtopic: parts.length === 2 ? parts[1] : null, body: payload };
}
