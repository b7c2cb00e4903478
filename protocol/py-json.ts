/**
 * The daemon's and circusctl's JSON: Python's `json.dumps` (config/python-json.ts)
 * plus the one thing the wire adds, so replies match Circus byte for byte
 * where a client could tell (spec/protocol.md 1.4). JavaScript has one number
 * type; the fields Circus always sends as floats (protocol/float-fields.ts)
 * are written with a decimal point at any depth.
 */
import { pyJsonDumps } from '../config/python-json';
import { isFloatField } from './float-fields';

/** Layout options of {@link pyJson}: json.dumps's `indent` and `sort_keys`. */
export interface PyJsonLayout {
  readonly indent?: number;
  readonly sortKeys?: boolean;
}

/**
 * `json.dumps(value)` as Circus writes it: numbers under a key of
 * protocol/float-fields.ts (at any depth) are written as floats, a
 * PyFloat (config/python.ts) always is. See config/python-json.ts for the rest.
 */
export function pyJson(value: unknown, layout: PyJsonLayout = {}): string {
  return pyJsonDumps(value, { ...layout, floatKey: isFloatField });
}
