import type { ClientCurve } from '../../../protocol/curve';

/**
 * The shapes the panel's daemon bridge hands to the panel server (the
 * shared contract of issue 8): what it knows of one circusd and the
 * messages it pushes to websocket clients. Plain data, JSON-safe.
 */

/** One circusd the panel follows. */
export interface BridgeTarget {
  /** Stable identifier used in URLs (`/api/daemons/<id>/...`). */
  readonly id: string;
  /** Name shown in the page. */
  readonly label: string;
  /** The control endpoint (`tcp://...` or `ipc://...`). */
  readonly endpoint: string;
  /** Seconds to wait for each reply; default 5 (circusctl's). */
  readonly timeout?: number;
  /** CURVE towards the control, pubsub and stats endpoints (off when absent). */
  readonly curve?: ClientCurve;
}

/** What the panel knows of one daemon's reachability and features. */
export interface DaemonInfo {
  id: string;
  label: string;
  endpoint: string;
  connected: boolean;
  /** The last failure text when not connected. */
  error: string | null;
  /** Live charts available? Else why. */
  stats: boolean;
  statsReason: string | null;
  /** Log tail available? Else why. */
  tail: boolean;
  tailReason: string | null;
}

/** One watcher as `status` and `list name=X` report it. */
export interface WatcherState {
  name: string;
  status: string;
  pids: number[];
}

/** One stats figure set: a process of a watcher, or its aggregate. */
export interface StatSample {
  /** The watcher's name as in the state when known, else the wire's res_name (`circus` for circusd itself). */
  watcher: string;
  /** null = the watcher aggregate. */
  pid: number | null;
  /** Percent; null where the daemon said "N/A". */
  cpu: number | null;
  /** Percent of physical memory; null where the daemon said "N/A". */
  mem: number | null;
  /** RSS, human readable (`12.34M`); null for an aggregate or "N/A". */
  mem_info1: string | null;
}

/** What the bridge pushes to the panel. */
export type PanelMessage =
  | { type: 'daemon'; daemon: string; info: DaemonInfo }
  | { type: 'state'; daemon: string; watchers: WatcherState[] }
  | { type: 'event'; daemon: string; topic: string; watcher: string; event: string; data: Record<string, unknown> }
  | { type: 'stats'; daemon: string; time: number; samples: StatSample[] }
  | { type: 'output'; daemon: string; watcher: string; stream: 'stdout' | 'stderr'; pid: number; data: string; time: number };
