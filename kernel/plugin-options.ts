/**
 * Checking a `[plugin:NAME]` section against its plugin's option schema
 * (spec/daemon.md 6.1-6.2, DESIGN.md "Config is parsed once"): every value
 * arrives as an INI string and is converted once; unknown keys, bad
 * values and missing required keys are all reported, each naming the
 * section and the key, before any plugin starts.
 */
import { CastError, toBool, toFloat, toInt } from '../config/cast';
import type { PluginRecord } from '../config/model';
import { CircusError } from './errors';
import type { PluginDescriptor, PluginOptionSpec } from './plugin-api';
import { compilePythonRegex } from './util/python-regex';

/**
 * One or more `[plugin:NAME]` sections cannot be used: `use` does not
 * resolve, or an option is unknown, invalid or missing. The message lists
 * every problem, each as `[plugin:NAME] key: why`.
 */
export class PluginConfigError extends CircusError {
  readonly code = 'E_PLUGIN_CONFIG';
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? `invalid plugin configuration: ${problems[0]}` : `invalid plugin configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** Keys of a plugin section the host reads itself; never passed to the plugin's schema. */
export const HOST_KEYS: ReadonlySet<string> = new Set(['use', 'priority', 'active', 'name', '__name__']);

/** Default `priority` of a plugin facade (spec 2.14). */
export const DEFAULT_PLUGIN_PRIORITY = 1;

/** A section checked against its descriptor: ready to start. */
export interface PreparedPlugin {
  /** Facade (and watcher) name: the section header, `plugin:NAME`. */
  readonly name: string;
  readonly use: string;
  readonly descriptor: PluginDescriptor;
  /** The schema's typed, frozen record (defaults applied). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly active: boolean;
  readonly priority: number;
  /** The section as loaded (reloadconfig compares it). */
  readonly record: PluginRecord;
}

function convert(spec: PluginOptionSpec, text: string): unknown {
  switch (spec.type) {
    case 'string':
      return text;
    case 'bool':
      return toBool(text);
    case 'int':
    case 'float': {
      const value = spec.type === 'int' ? toInt(text) : toFloat(text);
      if (spec.min !== undefined && !(value >= spec.min)) throw new CastError(`${text.trim()} is below the minimum ${spec.min}`);
      return value;
    }
    case 'regex':
      // Circus options are Python patterns: `(?P<pid>...)` must pass.
      try {
        compilePythonRegex(text);
      } catch (err) {
        throw new CastError((err as Error).message);
      }
      return text;
  }
}

/**
 * Converts the section's values with the descriptor's schema. Returns the
 * prepared plugin and the problems found (each `[plugin:NAME] key: why`);
 * the plugin is only usable when there are none.
 */
export function preparePlugin(record: PluginRecord, descriptor: PluginDescriptor): { prepared: PreparedPlugin; problems: string[] } {
  const section = `[${record.name}]`;
  const problems: string[] = [];
  const options: Record<string, unknown> = {};
  const schema = descriptor.options;
  for (const [key, raw] of Object.entries(record)) {
    if (HOST_KEYS.has(key) || raw === undefined) continue;
    const spec = Object.prototype.hasOwnProperty.call(schema, key) ? schema[key] : undefined;
    if (!spec) {
      const known = Object.keys(schema).sort();
      problems.push(`${section} ${key}: unknown option of plugin '${descriptor.name}' (known: ${known.length ? known.join(', ') : 'none'})`);
      continue;
    }
    try {
      options[key] = convert(spec, String(raw));
    } catch (err) {
      problems.push(`${section} ${key}: ${(err as Error).message}`);
    }
  }
  for (const [key, spec] of Object.entries(schema)) {
    if (key in options || problems.some((p) => p.startsWith(`${section} ${key}:`))) continue;
    if (spec.default !== undefined) options[key] = spec.default;
    else if (spec.required) problems.push(`${section} ${key}: missing (plugin '${descriptor.name}' requires it)`);
  }
  if (problems.length === 0 && descriptor.validate) {
    try {
      for (const line of descriptor.validate(options)) problems.push(`${section} ${line}`);
    } catch (err) {
      problems.push(`${section} ${(err as Error).message}`);
    }
  }
  let active = true;
  if (record.active !== undefined) {
    try {
      active = toBool(String(record.active));
    } catch (err) {
      problems.push(`${section} active: ${(err as Error).message}`);
    }
  }
  const priority = typeof record.priority === 'number' ? record.priority : DEFAULT_PLUGIN_PRIORITY;
  const prepared: PreparedPlugin = {
    name: record.name,
    use: String(record.use ?? '').trim(),
    descriptor,
    options: Object.freeze(options),
    active,
    priority,
    record,
  };
  return { prepared, problems };
}
