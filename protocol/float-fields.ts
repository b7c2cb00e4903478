/**
 * Reply and event fields Circus (Python) always emits as floats
 * (spec/protocol.md 1.4). JavaScript has one number type, so the daemon's
 * JSON writer prints these with a decimal point (`5.0`) and circusctl
 * renders them the way Python's str() would: an integral value gets `.0`.
 * `warmup_delay` is left out on purpose: Circus itself is inconsistent
 * there (an int for config-file watchers).
 */
export const FLOAT_FIELDS: ReadonlySet<string> = new Set([
  'time',
  'check_delay',
  'graceful_timeout',
  'cpu',
  'mem',
  'age',
  'started',
  'create_time',
]);

/** Whether a value under `key` is one Circus sends as a float. */
export function isFloatField(key: string): boolean {
  return FLOAT_FIELDS.has(key);
}
