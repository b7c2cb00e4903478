/**
 * The typed event catalogue of the kernel (spec/daemon.md 2.18). Names and
 * payloads are Circus's own so the pubsub plugin can forward them verbatim
 * as `watcher.<name>.<event>`; the watcher name travels beside the payload.
 *
 * Plugins add events by declaration merging:
 * ```ts
 * declare module '../kernel/events' {
 *   interface CircusEvents { 'flapping.stop': { time: number } }
 * }
 * ```
 */

/** Payloads of the kernel's events, keyed by event name. */
export interface CircusEvents {
  /** A process was created; `time` is its start time. */
  spawn: { process_pid: number; time: number };
  /** A process exited and was collected; signal N gives `exit_code` -N. */
  reap: { process_pid: number; time: number; exit_code: number };
  /** A stop signal or SIGKILL was sent to a process or one of its children. */
  kill: { process_pid: number; time: number };
  /** The watcher became active. */
  start: { time: number };
  /** The watcher is fully stopped. */
  stop: { time: number };
  /** A reload of the watcher finished. */
  reload: { time: number };
  /** An option of the watcher was changed at runtime. */
  updated: { time: number };
  /** The watcher was added at runtime. */
  add: { time: number };
  /** The watcher was removed at runtime. */
  remove: { time: number };
  /** A hook ran without raising (whatever it returned). */
  hook_success: { name: string; time: number };
  /** A hook raised; `error` is its message. */
  hook_failure: { name: string; time: number; error: string };
}

/** Name of any event of the catalogue. */
export type CircusEventName = keyof CircusEvents;

/** One published event: the name, the watcher it concerns, and the Circus payload. */
export interface CircusEvent<K extends CircusEventName = CircusEventName> {
  readonly name: K;
  /** The watcher's name as configured (not lower-cased). */
  readonly watcher: string;
  readonly payload: Readonly<CircusEvents[K]>;
}

/** Any event of the catalogue, as a discriminated union on `name`. */
export type AnyCircusEvent = { [K in CircusEventName]: CircusEvent<K> }[CircusEventName];

/** Current time as Circus publishes it: epoch seconds, float. */
export function epochSeconds(): number {
  return Date.now() / 1000;
}

/** The wire topic of an event: `watcher.<name lower-cased, spaces as _>.<event>`. */
export function eventTopic(watcher: string, name: string): string {
  return `watcher.${watcher.toLowerCase().replace(/ /g, '_')}.${name}`;
}
