/**
 * One tick of the stats streamer (spec/daemon.md 6.4, spec/protocol.md
 * 5.2), without I/O of its own: which pids belong to which stats name,
 * then the `stat.*` frames from the sampler's records. Kept apart from the
 * socket so the topic and field rules are tested without ZeroMQ.
 */
import type { ProcessInfo } from '../../kernel/index';
import {
  aggregateStats,
  CIRCUS_STATS_NAME,
  encodeStat,
  NON_WATCHER_NAMES,
  SOCKETS_STATS_NAME,
  type StatAggregateBody,
  type StatProcessBody,
  type StatSocketBody,
  type StatSocketsBody,
} from '../../protocol/stats-topics';

/** A stats name (a watcher, or `circus`) and its pids; `roles` names circus's pids (`circusd`...). */
export interface StatsGroup {
  readonly name: string;
  readonly pids: readonly number[];
  readonly roles?: ReadonlyMap<number, string>;
}

/** What one unit looks like to the collector (a watcher or a facade). */
export interface GroupSource {
  readonly name: string;
  readonly pids: readonly number[];
}

/**
 * The groups to sample: every watcher with live pids (except the names
 * Circus keeps for itself), then `circus` with circusd (and the
 * circushttpd watcher's first process when there is one). A watcher
 * without pids has no collector running (its topics disappear).
 */
export function statsGroups(units: readonly GroupSource[], selfPid: number): StatsGroup[] {
  const groups: StatsGroup[] = [];
  for (const u of units) {
    if (NON_WATCHER_NAMES.has(u.name.toLowerCase()) || u.pids.length === 0) continue;
    groups.push({ name: u.name, pids: [...u.pids] });
  }
  const roles = new Map<number, string>([[selfPid, 'circusd']]);
  const httpd = units.find((u) => u.name.toLowerCase() === 'circushttpd');
  if (httpd && httpd.pids.length > 0) roles.set(httpd.pids[0], 'circushttpd');
  groups.push({ name: CIRCUS_STATS_NAME, pids: [...roles.keys()], roles });
  return groups;
}

/** One group's frames and aggregate, for the socket and for the bus. */
export interface GroupFrames {
  readonly frames: [string, string][];
  readonly aggregate: StatAggregateBody;
}

/**
 * The per-process frames (`stat.<name>.<pid>`, vanished pids skipped) and
 * the aggregate (`stat.<name>`) of one group. Per-process records carry
 * `children: []` (the streamer never lists children), `subtopic` = pid and
 * `name` = the role or null.
 */
export function groupFrames(group: StatsGroup, sampled: ReadonlyMap<number, ProcessInfo>): GroupFrames {
  const frames: [string, string][] = [];
  const present: ProcessInfo[] = [];
  for (const pid of group.pids) {
    const info = sampled.get(pid);
    if (!info) continue;
    present.push(info);
    const body: StatProcessBody = { ...info, children: [], subtopic: pid, name: group.roles?.get(pid) ?? null };
    delete (body as { started?: number }).started;
    delete (body as { wid?: number }).wid;
    frames.push(encodeStat(group.name, pid, body));
  }
  const aggregate = aggregateStats(present);
  frames.push(encodeStat(group.name, null, aggregate));
  return { frames, aggregate };
}

/** One socket as the streamer reports it. */
export interface SocketReads {
  readonly fd: number;
  readonly address: string;
  readonly reads: number;
}

/** `stat.sockets.<fd>` for each socket (in fd order) and `stat.sockets`; nothing when there are none. */
export function socketFrames(sockets: readonly SocketReads[]): [string, string][] {
  if (sockets.length === 0) return [];
  const ordered = [...sockets].sort((a, b) => a.fd - b.fd);
  const frames = ordered.map((s) => encodeStat(SOCKETS_STATS_NAME, s.fd, { fd: s.fd, subtopic: s.fd, reads: s.reads, address: s.address } satisfies StatSocketBody));
  const total: StatSocketsBody = { addresses: ordered.map((s) => s.address), reads: ordered.reduce((n, s) => n + s.reads, 0) };
  frames.push(encodeStat(SOCKETS_STATS_NAME, null, total));
  return frames;
}
