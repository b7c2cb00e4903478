/** `circusctl set <name> <key> <value> [<key> <value>...] [--waiting]` (spec/protocol.md 2.20). */
import { ArgumentError } from '../../../kernel/index';
import { CastError, toBool, toFloat } from '../../../config/cast';
import { toSignum } from '../../../config/signals';
import { PyFloat, pyStrRepr } from '../../../config/python';
import { type CtlCommand, WAITING, makeDoc, pyInt, renderOk } from '../command';

const HOOKS = new Set([
  'before_start', 'after_start', 'before_stop', 'after_stop', 'before_spawn', 'after_spawn',
  'before_signal', 'after_signal', 'before_reap', 'after_reap', 'extended_stats',
]);
const INTS = new Set(['numprocesses', 'max_retry', 'max_age', 'max_age_variance']);
const FLOATS = new Set(['warmup_delay', 'retry_in', 'graceful_timeout']);
const BOOLS = new Set([
  'send_hup', 'stop_children', 'shell', 'copy_env', 'respawn', 'singleton',
  'close_child_stdin', 'close_child_stdout', 'close_child_stderr',
]);
const STRINGS = new Set(['working_dir', 'uid', 'gid', 'cmd', 'args']);

function cast<T>(fn: () => T, key: string, value: string): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof CastError) throw new ArgumentError(`ValueError: invalid value for ${key}: ${pyStrRepr(value)}`);
    throw error;
  }
}

/** Circus `convert_option`: the client-side conversion of one `set` value. */
export function convertOption(key: string, value: string): unknown {
  if (INTS.has(key) || key.startsWith('rlimit_')) return pyInt(value);
  if (FLOATS.has(key)) return new PyFloat(cast(() => toFloat(value), key, value));
  if (BOOLS.has(key)) return cast(() => toBool(value), key, value);
  if (STRINGS.has(key)) return value;
  if (key === 'stop_signal') return cast(() => toSignum(value), key, value);
  if (key === 'env') {
    // Circus 0.19.0 crashes here (parse_env_dict on a str); say so plainly.
    throw new ArgumentError("AttributeError: 'str' object has no attribute 'items' (env cannot be set from circusctl)");
  }
  if (key.startsWith('stderr_stream.') || key.startsWith('stdout_stream.')) {
    const sub = key.slice(key.indexOf('.') + 1);
    return sub === 'max_bytes' || sub === 'backup_count' ? pyInt(value) : value;
  }
  if (key === 'hooks') {
    const hooks: Record<string, string> = {};
    for (const hook of value.split(',')) {
      if (hook === '') continue;
      const parts = hook.split(':');
      if (parts.length !== 2) throw new ArgumentError(`[${parts.map(pyStrRepr).join(', ')}]`);
      if (!HOOKS.has(parts[0])) throw new ArgumentError(parts[0]);
      hooks[parts[0]] = parts[1];
    }
    return hooks;
  }
  if (key.startsWith('hooks.')) {
    const name = key.slice('hooks.'.length);
    if (!HOOKS.has(name)) throw new ArgumentError(name);
    return value;
  }
  throw new ArgumentError(`unknown key ${pyStrRepr(key)}`);
}

export const setCommand: CtlCommand = {
  name: 'set',
  summary: 'Set a watcher option',
  doc: makeDoc(
    'Set a watcher option',
    `
Changes options of a watcher; a change that needs it reloads the processes.

ZMQ message: {"command": "set", "properties": {"name": "<name>", "options":
{"key1": "val1", ...}, "waiting": false}}. See the options command for the keys.

Command line:

    $ circusctl set <name> <key1> <value1> <key2> <value2> --waiting

Values are converted before sending: integers (numprocesses, max_retry,
max_age, max_age_variance, rlimit_*, *_stream.max_bytes,
*_stream.backup_count), numbers (warmup_delay, retry_in, graceful_timeout),
booleans (send_hup, shell, copy_env, respawn, ...), a signal (stop_signal),
hooks as "name:value,name2:value2".`,
  ),
  switches: [WAITING],
  channel: 'dealer',
  message(args, opts) {
    if (args.length < 3) throw new ArgumentError('Invalid number of arguments');
    const [name, ...rest] = args;
    if (rest.length % 2 !== 0) throw new ArgumentError('List of key/values is invalid');
    const options: Record<string, unknown> = {};
    for (let i = 0; i < rest.length; i += 2) {
      const key = rest[i].toLowerCase();
      options[key] = convertOption(key, rest[i + 1]);
    }
    return opts.waiting === true ? { name, waiting: true, options } : { name, options };
  },
  render: renderOk,
};
