import type { CircusConfig } from '../../config/model';
import type { WatcherView } from '../watcher/watcher-types';

/**
 * The watcher as a hook sees it: the read-only view plus the live child
 * environment. `env` is the one thing a hook may change, as Circus hooks
 * do (a `before_spawn` hook can set a variable that `$(circus.env.NAME)`
 * in `cmd` and the next child then see).
 */
export interface HookWatcherView extends WatcherView {
  readonly env: Record<string, string>;
}

/** The arbiter as a hook sees it: read-only. */
export interface HookArbiterView {
  /** Every watcher, in list order. */
  readonly watchers: readonly HookWatcherView[];
  /** The watcher of that name (case-insensitive), or undefined. */
  find(name: string): HookWatcherView | undefined;
  /** True once a quit or full restart has begun. */
  readonly stopping: boolean;
  readonly config: CircusConfig;
}
/** DI token of the arbiter facade hooks receive (registered by createArbiter). */
export const HookArbiterView = Symbol('HookArbiterView');

/**
 * The single argument of a hook (spec/daemon.md 5.3): Circus's keyword
 * arguments as one object. Extras depend on the hook: `pid` (after_spawn,
 * signal hooks, extended_stats), `signum`, `process_pid` and `time` (reap
 * hooks), `exit_code` and `process_status` (after_reap), `stats`
 * (extended_stats, to be enriched in place).
 */
export interface HookContext {
  readonly watcher: HookWatcherView;
  /** Null only when the watcher was built outside an arbiter. */
  readonly arbiter: HookArbiterView | null;
  readonly hook_name: string;
  readonly pid?: number;
  readonly signum?: number;
  readonly process_pid?: number;
  readonly time?: number;
  readonly exit_code?: number;
  readonly process_status?: number | null;
  readonly stats?: Record<string, unknown>;
}

/**
 * A hook. The result is read with Python truthiness: returning nothing
 * counts as false (quirk Q20, kept). A throw or a rejection is a failure.
 */
export type HookFunction = (ctx: HookContext) => unknown;

/**
 * What may configure one hook: the `[spec, ignoreFailure]` pair the INI
 * loader produces, or, when embedding, a function or `[function, ignoreFailure]`.
 */
export type HookSpec = readonly [spec: string, ignoreFailure: boolean] | HookFunction | readonly [HookFunction, boolean];

/** One configured hook, resolved when its watcher was built. */
export interface ResolvedHook {
  readonly name: string;
  /** The spec as configured, for messages (`<function name>` for a function). */
  readonly spec: string;
  /** Whether a failure lets the operation go on (spec 5.1 ignore-failure set). */
  readonly ignoreFailure: boolean;
  /** The function; ES modules are imported on first use. Rejects when it cannot be loaded. */
  load(): Promise<HookFunction>;
}
