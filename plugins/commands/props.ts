/**
 * Reading command properties the way Circus does: presence tests,
 * Python truthiness, and the watcher lookup with Circus's error.
 */
import { ArgumentError, isFacade, NotFoundError, type Arbiter, type Unit, type Watcher } from '../../kernel';

/** A property as Circus reads it: `'key' in props`. */
export function has(props: Readonly<Record<string, unknown>>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(props, key) && props[key] !== undefined;
}

/** Python truthiness of a JSON value (`waiting`, `start`, `nostop` ...). */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
}

/** A boolean property with its default when absent. */
export function flag(props: Readonly<Record<string, unknown>>, key: string, fallback: boolean): boolean {
  return has(props, key) ? truthy(props[key]) : fallback;
}

/** The `name` property as a string (ArgumentError when it is not one). */
export function nameOf(props: Readonly<Record<string, unknown>>): string {
  const name = props.name;
  if (typeof name !== 'string') throw new ArgumentError(`'name' must be a string, got ${JSON.stringify(name)}`);
  return name;
}

/** The watcher named by `props.name` (case-insensitive); NotFoundError with the name as sent. */
export function watcherOf(arbiter: Arbiter, props: Readonly<Record<string, unknown>>): Watcher {
  const name = nameOf(props);
  const w = arbiter.find(name);
  if (!w) throw new NotFoundError('watcher', name);
  return w;
}

/**
 * The watcher or plugin facade named by `props.name` (list, status,
 * numprocesses see `plugin:NAME` as Circus's clients expect).
 */
export function unitOf(arbiter: Arbiter, props: Readonly<Record<string, unknown>>): Unit {
  const name = nameOf(props);
  const u = arbiter.findUnit(name);
  if (!u) throw new NotFoundError('watcher', name);
  return u;
}

/** Processes a unit counts for `numprocesses`: tracked ones, or 1 for a running plugin facade. */
export function processCount(u: Unit): number {
  return isFacade(u) ? u.liveCount : (u as Watcher).processes.length;
}

/** Sorted copy of a pid list (the waited results list pids ascending). */
export function sortedPids(pids: Iterable<number>): number[] {
  return [...pids].sort((a, b) => a - b);
}

/** Pids of the processes still running (not exited), in spawn order. */
export function livePids(w: Watcher | Unit): number[] {
  // A plugin facade has no process of its own (in-process plugin).
  if (isFacade(w)) return [];
  return (w as Watcher).processes
    .filter((p) => p.status !== 'exited')
    .sort((a, b) => a.started - b.started || a.pid - b.pid)
    .map((p) => p.pid);
}

/** The `{started, kept}` / `{stopped, started, kept}` result of an action on one watcher. */
export function pidDiff(before: readonly number[], after: readonly number[]): { stopped: number[]; started: number[]; kept: number[] } {
  const was = new Set(before);
  const now = new Set(after);
  return {
    stopped: sortedPids(before.filter((p) => !now.has(p))),
    started: sortedPids(after.filter((p) => !was.has(p))),
    kept: sortedPids(after.filter((p) => was.has(p))),
  };
}
