import { Clock, Random } from '../clock';
import { EventBus } from '../event-bus';
import { HookRunner } from '../hooks/hook-runner';
import { Logger } from '../logger';
import { ProcessView } from '../process/process';
import { ProcessTree } from '../process/proc-tree';
import { Spawner } from '../process/spawner';
import type { SpawnSockets } from '../sockets/circus-sockets';
import { RestartPolicyFactory } from './restart-policy';
import { WatcherSettings } from './watcher-settings';

/** States of spec/daemon.md 2.6. */
export type WatcherStatus = 'stopped' | 'starting' | 'active' | 'stopping';

/** Read-only view of a watcher, for plugins and embedders. */
export interface WatcherView {
  readonly name: string;
  readonly status: WatcherStatus;
  /** Configured target count. */
  readonly numprocesses: number;
  readonly priority: number;
  readonly autostart: boolean;
  /** Pids of the processes in the table, ascending. */
  readonly pids: readonly number[];
  readonly processes: readonly ProcessView[];
  /** The live options (a copy). */
  options(): Readonly<WatcherSettings>;
}

/** Services a watcher uses; built once per arbiter. */
export interface WatcherServices {
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly spawner: Spawner;
  readonly tree: ProcessTree;
  readonly clock: Clock;
  readonly random: Random;
  readonly hooks: HookRunner;
  readonly restartPolicies: RestartPolicyFactory;
  /** The arbiter's circus sockets (spec 3.3-3.5); absent means no socket is ever passed. */
  readonly sockets?: SpawnSockets;
}

/** Options of a watcher stop. */
export interface StopOptions {
  /** Arbiter quit: no descendant of any process may survive (Q16 fix). */
  readonly killDescendants?: boolean;
  /** Aborting cuts every grace period short (SIGKILL at once). */
  readonly signal?: AbortSignal;
  /**
   * Close the output streams (spec 2.7.2, 4.2). Default true: an explicit
   * stop (stop naming the watcher, arbiter quit, aborted start). False for
   * stop-all, restart and reload, which leave them open.
   */
  readonly closeStreams?: boolean;
}

