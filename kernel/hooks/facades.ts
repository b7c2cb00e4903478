import type { CircusConfig } from '../../config/model';
import type { ProcessView } from '../process/process';
import type { WatcherSettings } from '../watcher/watcher-settings';
import type { WatcherStatus, WatcherView } from '../watcher/watcher-types';
import { HookArbiterView, HookWatcherView } from './hook-types';

/**
 * The read-only face of a watcher handed to its hooks. Only `env` is live
 * and writable (see HookWatcherView); everything else reads through to the
 * watcher, so a hook never sees stale state and cannot drive the watcher.
 */
export function watcherFacade(w: WatcherView, env: () => Record<string, string>): HookWatcherView {
  return Object.freeze({
    get name(): string {
      return w.name;
    },
    get status(): WatcherStatus {
      return w.status;
    },
    get numprocesses(): number {
      return w.numprocesses;
    },
    get priority(): number {
      return w.priority;
    },
    get autostart(): boolean {
      return w.autostart;
    },
    get pids(): readonly number[] {
      return w.pids;
    },
    get processes(): readonly ProcessView[] {
      return w.processes.map((p) => Object.freeze({ pid: p.pid, wid: p.wid, started: p.started, status: p.status, argv: [...p.argv] }));
    },
    options(): Readonly<WatcherSettings> {
      return w.options();
    },
    get env(): Record<string, string> {
      return env();
    },
  });
}

/** What the arbiter facade reads from the arbiter. */
export interface ArbiterFacts {
  readonly watchers: readonly { readonly facade: HookWatcherView }[];
  readonly stopping: boolean;
  readonly config: CircusConfig;
}

/** The read-only face of an arbiter handed to hooks. */
export function arbiterFacade(a: ArbiterFacts): HookArbiterView {
  return Object.freeze({
    get watchers(): readonly HookWatcherView[] {
      return a.watchers.map((w) => w.facade);
    },
    find(name: string): HookWatcherView | undefined {
      const key = name.toLowerCase();
      return a.watchers.find((w) => w.facade.name.toLowerCase() === key)?.facade;
    },
    get stopping(): boolean {
      return a.stopping;
    },
    get config(): CircusConfig {
      return a.config;
    },
  });
}
