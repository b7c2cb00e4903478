/**
 * `circusd --print-config` output: the model as Python's
 * `json.dumps(config, indent=2)` would print it, so it can be compared with
 * Circus's own `get_config` result. `JSON.stringify` cannot do this: it
 * prints the float `30.0` as `30` and keeps non-ASCII text unescaped.
 */

import { CircusConfig } from './model';
import { pyFloat } from './python';
import { pyJsonDumps } from './python-json';

/** Watcher fields Circus holds as Python floats. */
const WATCHER_FLOATS = ['graceful_timeout'];
/** `[circus]` fields Circus holds as Python floats. */
const CIRCUS_FLOATS = ['check_delay'];

/** The JSON text of a loaded config: Circus field names, 2-space indent, floats as floats. */
export function formatConfig(config: CircusConfig): string {
  const top: Record<string, unknown> = { ...config };
  for (const key of CIRCUS_FLOATS) top[key] = pyFloat(config[key as keyof CircusConfig] as number);
  top.watchers = config.watchers.map((w) => {
    const copy: Record<string, unknown> = { ...w };
    for (const key of WATCHER_FLOATS) if (typeof w[key] === 'number') copy[key] = pyFloat(w[key] as number);
    return copy;
  });
  return pythonJson(top, 2);
}

/**
 * Python `json.dumps(value, indent=…)`: PyFloat values print as
 * Python floats, non-finite numbers as `NaN` / `Infinity`, key order as
 * inserted (config/python-json.ts).
 */
export function pythonJson(value: unknown, indent = 2): string {
  return pyJsonDumps(value, { indent });
}
