import { HookRecord } from '../../config/model';

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
  readonly watcher: string;
  readonly hook: HookName;
  /** The watcher's `hooks.*` configuration, keyed by hook name. */
  readonly hooks: Readonly<Record<string, HookRecord>>;
  /** Keyword arguments of the hook (`pid`, `signum`, `process_pid`, `time`, ...). */
  readonly args: Readonly<Record<string, unknown>>;
}

/**
 * Runs watcher hooks. The watcher only asks "may I go on?"; resolving the
 * hook spec, applying `ignore_failure`, publishing `hook_success`/
 * `hook_failure` and Python truthiness are the runner's business.
 */
export interface HookRunner {
  /** Resolves true when the operation may proceed. Never rejects. */
  run(call: HookCall): Promise<boolean>;
}
export const HookRunner = Symbol('HookRunner');

/**
 * The default runner: hooks are not implemented yet, and a hook that is not
 * configured always lets the operation proceed, so every call is true.
 */
export class NoHookRunner implements HookRunner {
  run(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

/** Python truthiness (spec 0): false, 0, '', empty list/map, null/undefined are false. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map || value instanceof Set) return value.size > 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
}
