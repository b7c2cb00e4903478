/**
 * The control channel's JSON codec (spec/protocol.md 1.3, 1.4, 1.7): one
 * request body in, one reply body out, exactly as circusd 0.19.0 reads and
 * writes them. Shared by the control plugin and any other transport.
 */
import { pyJson } from './py-json';

/** A request the daemon must answer or run (spec 1.3). */
export interface ControlRequest {
  readonly kind: 'request';
  /** The command name as sent (used in `unknown command: '<name>'`). */
  readonly command: string;
  /** The command name lower-cased: the registry key. */
  readonly name: string;
  /**
   * `properties` as sent: undefined when absent (read as `{}`), otherwise
   * any JSON value -- the transport decides what a non-object means.
   */
  readonly properties: unknown;
  /** `id` as sent (any JSON), null when absent. */
  readonly id: unknown;
  /** `msg_type` was exactly "cast": never reply, not even an error. */
  readonly cast: boolean;
}

/**
 * What one request body decodes to: a request; `invalid-json` (answered
 * with errno 1 and id null); or `drop` (no reply at all, spec 1.7) with the
 * reason for the log.
 */
export type DecodedRequest = ControlRequest | { readonly kind: 'invalid-json' } | { readonly kind: 'drop'; readonly why: string };

/** The bytes Python's `bytes.strip()` removes. */
const ASCII_WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c]);
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function strip(body: Uint8Array): Uint8Array {
  let start = 0;
  let end = body.length;
  while (start < end && ASCII_WHITESPACE.has(body[start])) start++;
  while (end > start && ASCII_WHITESPACE.has(body[end - 1])) end--;
  return body.subarray(start, end);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Decodes one request body exactly per spec/protocol.md 1.7. Never throws. */
export function decodeRequest(body: Uint8Array): DecodedRequest {
  const stripped = strip(body);
  if (stripped.length === 0) return { kind: 'drop', why: 'empty message' };
  let json: unknown;
  try {
    // Python's json.loads on bytes accepts (and drops) a UTF-8 BOM.
    const text = UTF8.decode(stripped).replace(/^\ufeff/, '');
    json = JSON.parse(text);
  } catch {
    return { kind: 'invalid-json' };
  }
  if (!isPlainObject(json)) return { kind: 'drop', why: 'the JSON message is not an object' };
  const command = json.command;
  if (typeof command !== 'string') return { kind: 'drop', why: "'command' is missing or not a string" };
  return {
    kind: 'request',
    command,
    name: command.toLowerCase(),
    properties: json.properties,
    id: 'id' in json ? json.id : null,
    cast: json.msg_type === 'cast',
  };
}

/** The time field of a reply: Unix epoch seconds, as Python's `time.time()`. */
export function pyTime(): number {
  // Microseconds, like time.time(); Date.now() alone would give milliseconds.
  return (performance.timeOrigin + performance.now()) / 1000;
}

/** Whether a command result can become an ok reply: an object, an array, or nothing (spec 1.4). */
export function isReplyResult(result: unknown): boolean {
  return result === undefined || result === null || typeof result === 'object';
}

/**
 * The ok reply: `{"status": "ok", "time": t}`, the result's keys merged over
 * them, then `id` -- set as Python's dict assignment does, so a result key
 * (`status` of the `status` command) keeps its place. An array result is
 * wrapped as `{"results": [...]}`. Throws a TypeError for a result that
 * {@link isReplyResult} refuses (the caller answers errno 6 instead).
 */
export function encodeOk(result: unknown, id: unknown, time = pyTime()): Buffer {
  if (!isReplyResult(result)) throw new TypeError(`a command result must be an object or an array, not ${typeof result}`);
  // A Map keeps insertion order for every key, as a Python dict does.
  const reply = new Map<string, unknown>([
    ['status', 'ok'],
    ['time', time],
  ]);
  if (Array.isArray(result)) reply.set('results', result);
  else if (result instanceof Map) for (const [k, v] of result) reply.set(String(k), v);
  else if (result) for (const [k, v] of Object.entries(result)) reply.set(k, v);
  reply.set('id', id);
  return Buffer.from(pyJson(reply), 'utf8');
}

/** An error of the control channel: errno, reason, and the traceback (null unless generic errno 5). */
export interface ReplyError {
  readonly errno: number;
  readonly reason: string;
  readonly tb: string | null;
}

/** The error reply, keys exactly `status, reason, tb, time, errno, id` (spec 1.4). */
export function encodeError(error: ReplyError, id: unknown, time = pyTime()): Buffer {
  const reply = { status: 'error', reason: error.reason, tb: error.tb, time, errno: error.errno, id };
  return Buffer.from(pyJson(reply), 'utf8');
}
