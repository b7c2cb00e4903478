import { HookWatcherView, ResolvedHook } from './hook-types';

/** The hook points of a watcher (spec/daemon.md 5.1). */
export type HookName =
  | 'before_start'
  | 'after_start'
  | 'before_spawn'
  | 'after_spawn'
  | 'before_stop'
  | 'after_stop'
  | 'before_signal'
  | 'after_signal'
  | 'before_reap'
  | 'after_reap'
  | 'extended_stats';

/** What a watcher hands the runner for one hook call. */
export interface HookCall {
  /** The calling watcher's facade (the hook's `watcher`). */
  readonly watcher: HookWatcherView;
  readonly hook: HookName;
  /** The configured hook, resolved; undefined when none is configured. */
  readonly target: ResolvedHook | undefined;
  /** Keyword arguments of the hook (`pid`, `signum`, `process_pid`, `time`, ...). */
  readonly args: Readonly<Record<string, unknown>>;
}

/**
 * Runs watcher hooks. The watcher only asks "may I go on?"; calling the
 * hook, Python truthiness, the ignore-failure rule and the
 * `hook_success`/`hook_failure` events are the runner's business.
 */
export interface HookRunner {
  /** Resolves true when the operation may proceed. Never rejects. */
  run(call: HookCall): Promise<boolean>;
  /**
   * Calls `extended_stats` (spec 5.1): no events, result ignored, and a
   * throw or rejection is NOT caught (the stats request fails with it).
   */
  extendedStats(call: HookCall): Promise<void>;
}
export const HookRunner = Symbol('HookRunner');

/**
 * A runner that never calls anything: every operation proceeds. For
 * embedders and tests that want the watchers without any hook.
 */
export class NoHookRunner implements HookRunner {
  run(): Promise<boolean> {
    return Promise.resolve(true);
  }

  extendedStats(): Promise<void> {
    return Promise.resolve();
  }
}

/** Python truthiness (spec 0): false, 0, '', empty list/map, null/undefined are false. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map || value instanceof Set) return value.size > 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'object') {
    // A plain object stands for a dict (empty is false); any other object is
    // an instance, which Python counts as true.
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto === Object.prototype || proto === null) return Object.keys(value as object).length > 0;
  }
  return true;
}
