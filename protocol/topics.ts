/**
 * Event topics on the pub/sub endpoint (spec/protocol.md 4.1-4.2, 1.11):
 * the one mapping between an in-process event (name, watcher, payload) and
 * the two frames Circus publishes, `watcher.<resname>.<event>` and the JSON
 * body. The pubsub plugin encodes with it; out-of-process plugins and
 * clients decode with it. Pure functions, no I/O.
 */
import { pyJson } from './py-json';
import { frameJsonObject, frameText } from './frame-json';

/** An event as the kernel's bus carries it (structurally kernel/events.ts's CircusEvent). */
export interface TopicEvent {
  /** The event name (`spawn`, `reap`, ...). */
  readonly name: string;
  /** The watcher's name as configured. */
  readonly watcher: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** An event read back from the wire. */
export interface DecodedEvent {
  readonly name: string;
  /**
   * The watcher's resource name from the topic (lower-cased, spaces as
   * `_`): the original spelling is not on the wire.
   */
  readonly watcher: string;
  readonly payload: Record<string, unknown>;
}

/** Prefix of every event topic; Circus 0.19.0 has no other (no arbiter-level topics). */
export const WATCHER_TOPIC_PREFIX = 'watcher.';

/**
 * Body fields of each catalogue event in Circus's order (spec/protocol.md
 * 4.2). The body is written in this order whatever order the payload object
 * was built in; fields outside the list follow in their own order.
 */
export const EVENT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  spawn: ['process_pid', 'time'],
  reap: ['process_pid', 'time', 'exit_code'],
  kill: ['process_pid', 'time'],
  stop: ['time'],
  start: ['time'],
  add: ['time'],
  remove: ['time'],
  reload: ['time'],
  updated: ['time'],
  hook_success: ['name', 'time'],
  hook_failure: ['name', 'time', 'error'],
};

/**
 * Whether an event of this name is part of Circus's wire catalogue. Events
 * plugins declare for each other (the stats sampler's `stats.sample`, ...)
 * stay in process: Circus plugins subscribe to `watcher.` and its statsd
 * emitter counts every topic, so an extra topic would change what they see.
 */
export function isWireEvent(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(EVENT_FIELDS, name);
}

/** The resource name of a watcher (spec/protocol.md 1.11): lower-cased, spaces replaced by `_`. */
export function resourceName(watcher: string): string {
  return watcher.toLowerCase().replace(/ /g, '_');
}

/** The topic of an event: `watcher.<resname>.<event>` (`EvT X` spawning gives `watcher.evt_x.spawn`). */
export function eventTopic(watcher: string, name: string): string {
  return `${WATCHER_TOPIC_PREFIX}${resourceName(watcher)}.${name}`;
}

/** The payload with the catalogue's fields first, in Circus's order. */
function ordered(name: string, payload: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const fields = EVENT_FIELDS[name];
  if (!fields) return { ...payload };
  const out: Record<string, unknown> = {};
  for (const key of fields) if (key in payload) out[key] = payload[key];
  for (const [key, value] of Object.entries(payload)) if (!(key in out)) out[key] = value;
  return out;
}

/** The event's body frame: Python `json.dumps` of the payload, `time` always a float. */
export function eventBody(event: TopicEvent): string {
  return pyJson(ordered(event.name, event.payload));
}

/**
 * The two frames of an event, as text:
 * `['watcher.web.spawn', '{"process_pid": 4242, "time": 1717171717.5}']`.
 */
export function encodeEvent(event: TopicEvent): [topic: string, body: string] {
  return [eventTopic(event.watcher, event.name), eventBody(event)];
}

/**
 * Reads an event back from its frames, or null when they are not one
 * (another prefix, no watcher or event part, a body that is not a JSON
 * object). The event is the topic's last dot-separated part and the
 * watcher everything between `watcher.` and it, so a watcher name holding
 * dots survives (Circus's own plugins take only the second part).
 */
export function decodeTopic(topic: string | Uint8Array, body: string | Uint8Array): DecodedEvent | null {
  const t = frameText(topic);
  if (!t.startsWith(WATCHER_TOPIC_PREFIX)) return null;
  const rest = t.slice(WATCHER_TOPIC_PREFIX.length);
  const dot = rest.lastIndexOf('.');
  if (dot <= 0 || dot === rest.length - 1) return null;
  // Not a JSON object: foreign traffic for the caller.
  const payload = frameJsonObject(body);
  if (payload === null) return null;
  return { name: rest.slice(dot + 1), watcher: rest.slice(0, dot), payload };
}
