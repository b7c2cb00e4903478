/**
 * What the arbiter orders, starts and stops: a watcher, or a plugin shown
 * as a watcher (spec/daemon.md 0.1, 6.3: `plugin:NAME`, later
 * `circusd-stats` and `circushttpd`). Commands that list, count, start,
 * stop or restart "watchers" work on units, so a plugin facade behaves
 * like Circus's plugin watcher without special cases in each command.
 */
import type { StopOptions, WatcherStatus } from '../watcher/watcher-types';

/** A watcher or a watcher-like facade. */
export interface Unit {
  /** The name as configured (`web`, `plugin:flapping`). */
  readonly name: string;
  readonly priority: number;
  readonly autostart: boolean;
  readonly status: WatcherStatus;
  /** Pids of its live processes (a plugin facade has none of its own). */
  readonly pids: readonly number[];
  /** Resolves when started; rejects when it cannot start. */
  start(opts?: { socketEvent?: boolean }): Promise<void>;
  /** Resolves when stopped. */
  stop(opts?: StopOptions): Promise<void>;
  restart(): Promise<void>;
}

/** A unit that is not a real watcher: no processes, no options of its own to get or set. */
export interface FacadeUnit extends Unit {
  readonly facade: true;
  /** 1 while the plugin runs, 0 otherwise: what `numprocesses` reports for it. */
  readonly liveCount: number;
}

/** True for a plugin (or other) facade. */
export function isFacade(unit: Unit): unit is FacadeUnit {
  return (unit as Partial<FacadeUnit>).facade === true;
}
