/**
 * The one rendering circusctl adds to config/python.ts: Python `str()` of a
 * reply field, knowing which fields Circus always sends as floats.
 */
import { pyFloatRepr, pyStr } from '../../config/python';
import { isFloatField } from '../../protocol/float-fields';

/**
 * Python `str()` of the value of field `key`: a field Circus always sends as
 * a float (protocol/float-fields.ts) gets its `.0` even when the daemon
 * wrote it as an integer.
 */
export function pyStrField(key: string, value: unknown): string {
  if (typeof value === 'number' && Number.isInteger(value) && isFloatField(key)) return pyFloatRepr(value);
  return pyStr(value);
}
