/**
 * Which pids belong to which watcher, learned from circusd over the control
 * channel as Circus's circusd-stats does (spec/protocol.md 5.1): `list`,
 * `list name=W` for every watcher, `dstats` for circusd's own pid, and
 * circushttpd's pids when it exists. Refreshed after `watcher.` events and
 * whenever a sampled pid turned out to be gone.
 */
import type { CircusClient } from '../../protocol/client';
import { NON_WATCHER_NAMES } from '../../protocol/stats-topics';

/** One pid of the `circus` pseudo-watcher, with the name its body carries. */
export interface CircusPid {
  readonly pid: number;
  readonly name: 'circusd' | 'circusd-stats' | 'circushttpd';
}

/** A snapshot of the pids to sample. */
export interface PidMap {
  /** Lower-cased watcher name -> pids (watchers without pids are left out). */
  readonly watchers: ReadonlyMap<string, readonly number[]>;
  readonly circus: readonly CircusPid[];
}

function okReply(command: string, reply: Record<string, unknown>): Record<string, unknown> {
  if (reply.status !== 'ok') throw new Error(`circusd refused '${command}': ${String(reply.reason ?? reply.status)}`);
  return reply;
}

function numbers(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((p): p is number => typeof p === 'number') : [];
}

/** Asks circusd for the current pids; rejects with the call's error (timeout, refused reply). */
export async function fetchPids(client: CircusClient, selfPid: number): Promise<PidMap> {
  const names = numbersOrNames(okReply('list', await client.call('list')).watchers);
  const watchers = new Map<string, number[]>();
  await Promise.all(
    names
      .filter((name) => !NON_WATCHER_NAMES.has(name))
      .map(async (name) => {
        const reply = await client.call('list', { name });
        // A watcher removed between the two calls answers an error: it simply has no pids now.
        const pids = reply.status === 'ok' ? numbers(reply.pids) : [];
        if (pids.length > 0) watchers.set(name, pids);
      }),
  );
  const info = okReply('dstats', await client.call('dstats')).info as Record<string, unknown> | undefined;
  const circus: CircusPid[] = [];
  if (typeof info?.pid === 'number') circus.push({ pid: info.pid, name: 'circusd' });
  circus.push({ pid: selfPid, name: 'circusd-stats' });
  if (names.includes('circushttpd')) {
    const reply = await client.call('list', { name: 'circushttpd' });
    for (const pid of reply.status === 'ok' ? numbers(reply.pids) : []) circus.push({ pid, name: 'circushttpd' });
  }
  return { watchers, circus };
}

function numbersOrNames(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((n): n is string => typeof n === 'string') : [];
}
