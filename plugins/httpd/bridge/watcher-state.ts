/**
 * The daemon's watchers as the panel shows them, read with plain Circus
 * commands (`status`, then `list name=X` for each watcher), so it works
 * against a Python circusd too; and the comparison that decides whether a
 * fresh reading is worth a `state` message.
 */
import type { WatcherState } from './types';

/** Sends one command and resolves with the reply (rejects when none came). */
export type CallFn = (command: string, properties: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** How many `list` calls run at once: enough to be quick, few enough not to queue up a busy daemon. */
export const LIST_CONCURRENCY = 8;

/** Plain code-point order, as circusctl sorts `status` lines. */
export function byName(a: WatcherState, b: WatcherState): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Whether two readings (each sorted by name) show the same watchers, states and pids. */
export function sameWatchers(a: readonly WatcherState[], b: readonly WatcherState[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i];
    const y = b[i];
    if (x.name !== y.name || x.status !== y.status || x.pids.length !== y.pids.length) return false;
    for (let j = 0; j < x.pids.length; j += 1) if (x.pids[j] !== y.pids[j]) return false;
  }
  return true;
}

/** Runs `task` over `items` with at most `limit` running at once; results in item order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => worker()));
  return results;
}

function pidsOf(reply: Record<string, unknown>): number[] | null {
  if (reply.status !== 'ok' || !Array.isArray(reply.pids)) return null;
  return reply.pids.filter((p): p is number => typeof p === 'number');
}

/**
 * Reads every watcher's state and pids, sorted by name. A watcher removed
 * between `status` and its `list` (an error reply) is left out; a call
 * that gets no reply rejects (the daemon is unreachable). A `status`
 * reply without `statuses` is an Error naming the reply's reason.
 */
export async function readWatcherState(call: CallFn, concurrency = LIST_CONCURRENCY): Promise<WatcherState[]> {
  const reply = await call('status', {});
  const statuses = reply.statuses;
  if (reply.status !== 'ok' || statuses === null || typeof statuses !== 'object' || Array.isArray(statuses)) {
    throw new Error(`status failed: ${typeof reply.reason === 'string' ? reply.reason : JSON.stringify(reply)}`);
  }
  const entries = Object.entries(statuses as Record<string, unknown>);
  const read = await mapBounded(entries, concurrency, async ([name, status]) => {
    const pids = pidsOf(await call('list', { name }));
    return pids === null ? null : { name, status: String(status), pids };
  });
  return read.filter((w): w is WatcherState => w !== null).sort(byName);
}
