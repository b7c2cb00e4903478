/**
 * Option-value validation of `set` and `add` (spec/protocol.md 2.0,
 * circus/commands/util.py in Circus 0.19.0), with Circus's exact errno-3
 * reasons. Runs before the watcher lookup and before anything changes.
 */
import { ArgumentError, pyRepr } from '../../kernel';

const KEYS = new Set([
  'numprocesses', 'warmup_delay', 'working_dir', 'uid', 'gid', 'send_hup', 'stop_signal', 'stop_children',
  'shell', 'env', 'cmd', 'args', 'copy_env', 'retry_in', 'max_retry', 'graceful_timeout', 'stdout_stream',
  'stderr_stream', 'max_age', 'max_age_variance', 'respawn', 'singleton', 'hooks', 'close_child_stdin',
  'close_child_stdout', 'close_child_stderr',
]);
const INTEGERS = new Set(['numprocesses', 'max_retry', 'max_age', 'max_age_variance', 'stop_signal']);
const NUMBERS = new Set(['warmup_delay', 'retry_in', 'graceful_timeout']);
const BOOLEANS = new Set(['send_hup', 'shell', 'copy_env', 'respawn', 'stop_children', 'close_child_stdin', 'close_child_stdout', 'close_child_stderr']);
const HOOKS = new Set([
  'before_start', 'after_start', 'before_stop', 'after_stop', 'before_spawn', 'after_spawn', 'before_signal',
  'after_signal', 'before_reap', 'after_reap', 'extended_stats',
]);
/** resource.RLIMIT_* names Python knows on Linux. */
const RLIMITS = new Set([
  'as', 'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss',
  'rtprio', 'rttime', 'sigpending', 'stack',
]);

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkKey(key: string, value: unknown): void {
  if (key.startsWith('stdout_stream.') || key.startsWith('stderr_stream.') || key.startsWith('hooks.')) return;
  if (key.startsWith('rlimit_')) {
    if (!RLIMITS.has(key.slice(7).toLowerCase())) throw new ArgumentError(`'${key}' isn't a valid rlimit setting`);
    if (value !== null && !(typeof value === 'number' && Number.isInteger(value))) {
      throw new ArgumentError(`${pyRepr(value)} rlimit value isn't a valid int`);
    }
    return;
  }
  if (!KEYS.has(key)) throw new ArgumentError(`unknown key '${key}'`);
  if (INTEGERS.has(key)) {
    if (!(typeof value === 'boolean' || (typeof value === 'number' && Number.isInteger(value)))) {
      throw new ArgumentError(`'${key}' isn't an integer`);
    }
  } else if (NUMBERS.has(key)) {
    if (typeof value !== 'number') throw new ArgumentError(`'${key}' isn't a number`);
  } else if (key === 'uid' || key === 'gid') {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) {
      throw new ArgumentError(`'${key}' isn't an integer or string`);
    }
  } else if (BOOLEANS.has(key)) {
    if (typeof value !== 'boolean') throw new ArgumentError(`'${key}' isn't a valid boolean`);
  } else if (key === 'env') {
    if (!isObject(value)) throw new ArgumentError(`'env' isn't a valid object`);
    for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') throw new ArgumentError(`'${k}' isn't a string`);
  } else if (key === 'hooks') {
    if (!isObject(value)) throw new ArgumentError(`${pyRepr(value)} isn't a valid hook dict`);
    if (Object.keys(value).some((k) => !HOOKS.has(k))) throw new ArgumentError(`Unknown hook ${pyRepr(value)}`);
  } else if (key === 'stdout_stream' || key === 'stderr_stream') {
    if (!isObject(value)) throw new ArgumentError(`'${key}' isn't a valid object`);
    if (!('class' in value)) throw new ArgumentError(`'${key}' must have a 'class' key`);
  }
}

/**
 * Checks an `options` object of `set`/`add`; throws ArgumentError with
 * Circus's reason at the first bad key. `options` itself must be an object.
 */
export function validateOptions(options: unknown): Record<string, unknown> {
  if (!isObject(options)) throw new ArgumentError(`'options' property should be an object`);
  for (const [key, value] of Object.entries(options)) checkKey(key, value);
  return options;
}
