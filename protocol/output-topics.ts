/**
 * Captured child output on the pub/sub endpoint, a circus-ts extension
 * (`[circus] publish_output`, docs/pubsub.md): the one mapping between a
 * chunk and its two frames, `output.<resname>.<stdout|stderr>` and
 * `{"pid": 123, "data": "...", "time": 1700000000.123}`. The prefix is
 * outside `watcher.` on purpose: Circus plugins subscribe to `watcher.`
 * and must not see it. The pubsub plugin encodes with it; the panel's
 * bridge and other clients decode with it. Pure functions, no I/O.
 */
import { pyJsonFloat } from '../config/python-json';
import { pyJson } from './py-json';
import { resourceName } from './topics';
import { frameJsonObject, frameText } from './frame-json';

/** Prefix of every output topic. */
export const OUTPUT_TOPIC_PREFIX = 'output.';

/** Which pipe of the child a chunk came from. */
export type OutputStreamName = 'stdout' | 'stderr';

/** A chunk to publish. */
export interface OutputMessage {
  /** The watcher's name as configured; the topic carries its resource name. */
  readonly watcher: string;
  readonly stream: OutputStreamName;
  readonly pid: number;
  /** The chunk: text, or bytes decoded as UTF-8 (an invalid sequence becomes U+FFFD). */
  readonly data: string | Uint8Array;
  /** Epoch seconds; always written as a float. */
  readonly time: number;
}

/** A chunk read back from the wire. */
export interface DecodedOutput {
  /** The watcher's resource name (lower-cased, spaces as `_`): the original spelling is not on the wire. */
  readonly watcher: string;
  readonly stream: OutputStreamName;
  readonly pid: number;
  readonly data: string;
  readonly time: number;
}

/** `output.<resname>.<stream>`: `My Web` on stderr gives `output.my_web.stderr`. */
export function outputTopic(watcher: string, stream: OutputStreamName): string {
  return `${OUTPUT_TOPIC_PREFIX}${resourceName(watcher)}.${stream}`;
}

/**
 * The body: Python `json.dumps` of `{"pid", "data", "time"}` in that order,
 * non-ASCII escaped as `\uXXXX`, `time` a float, like every event body
 * (byte for byte what pyJson writes, only faster: see {@link pyJsonText}).
 */
export function outputBody(pid: number, data: string | Uint8Array, time: number): string {
  const id = Number.isSafeInteger(pid) ? String(pid) : pyJson(pid);
  return `{"pid": ${id}, "data": ${pyJsonText(frameText(data))}, "time": ${pyJsonFloat(time)}}`;
}

/** Anything json.dumps(ensure_ascii) writes differently from JSON.stringify: DEL and beyond. */
const BEYOND_ASCII = /[\x7f-\uffff]/;
const HEX = Buffer.from('0123456789abcdef', 'latin1');
/** The letter after the backslash of json.dumps's short escapes, by code; 0 for none. */
const SHORT = new Uint8Array(0x80);
for (const [code, letter] of [['"', '"'], ['\\', '\\'], ['\b', 'b'], ['\f', 'f'], ['\n', 'n'], ['\r', 'r'], ['\t', 't']]) {
  SHORT[code.charCodeAt(0)] = letter.charCodeAt(0);
}
/** Reused output buffer of {@link pyJsonText}, up to this size (a frame is at most ~100 KiB of it). */
const SCRATCH_MAX = 1024 * 1024;
let scratch = Buffer.alloc(0);

/**
 * `json.dumps(text)` with ensure_ascii, as config/python-json.ts's
 * pyJsonString writes it, but fast on output-sized text: its per-match
 * callback runs at a few MiB/s on text that is all escapes (binary junk,
 * non-Latin scripts), which would make a chatty child cost the daemon's
 * whole loop. ASCII-only text (below DEL) goes through the native
 * JSON.stringify, whose escapes are Python's there; anything else is
 * written byte by byte into a reused buffer.
 */
export function pyJsonText(value: string): string {
  if (!BEYOND_ASCII.test(value)) return JSON.stringify(value);
  const need = value.length * 6 + 2;
  if (scratch.length < need) {
    const keep = need <= SCRATCH_MAX;
    const fresh = Buffer.allocUnsafe(keep ? Math.min(SCRATCH_MAX, Math.max(need, 2 * scratch.length)) : need);
    if (keep) scratch = fresh;
    return escapeInto(fresh, value);
  }
  return escapeInto(scratch, value);
}

function escapeInto(b: Buffer, value: string): string {
  let n = 0;
  b[n++] = 0x22;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) b[n++] = c;
    else if (c < 0x80 && SHORT[c] !== 0) {
      b[n++] = 0x5c;
      b[n++] = SHORT[c];
    } else {
      b[n++] = 0x5c;
      b[n++] = 0x75;
      b[n++] = HEX[c >> 12];
      b[n++] = HEX[(c >> 8) & 15];
      b[n++] = HEX[(c >> 4) & 15];
      b[n++] = HEX[c & 15];
    }
  }
  b[n++] = 0x22;
  return b.toString('latin1', 0, n);
}

/** The two frames of a chunk, as text. */
export function encodeOutput(m: OutputMessage): [topic: string, body: string] {
  return [outputTopic(m.watcher, m.stream), outputBody(m.pid, m.data, m.time)];
}

/**
 * Reads a chunk back from its frames, or null when they are not one
 * (another prefix, a stream other than stdout/stderr, no watcher part, a
 * body that is not a JSON object with an integer `pid`, a string `data`
 * and a number `time`). The stream is the topic's last dot-separated part
 * and the watcher everything between `output.` and it, so a watcher name
 * holding dots survives.
 */
export function decodeOutput(topic: string | Uint8Array, body: string | Uint8Array): DecodedOutput | null {
  const t = frameText(topic);
  if (!t.startsWith(OUTPUT_TOPIC_PREFIX)) return null;
  const rest = t.slice(OUTPUT_TOPIC_PREFIX.length);
  const dot = rest.lastIndexOf('.');
  if (dot <= 0) return null;
  const stream = rest.slice(dot + 1);
  if (stream !== 'stdout' && stream !== 'stderr') return null;
  // Not a JSON object: foreign traffic for the caller.
  const payload = frameJsonObject(body);
  if (payload === null) return null;
  const { pid, data, time } = payload;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || typeof data !== 'string' || typeof time !== 'number') return null;
  return { watcher: rest.slice(0, dot), stream, pid, data, time };
}
