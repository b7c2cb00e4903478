/**
 * A watcher's options as `options` and `get` report them (spec/protocol.md
 * 2.4, 2.14): the 29 standard keys, plus the free-form extras; config-file
 * watchers and `add`ed ones differ the way Circus's do.
 */
import type { Arbiter, Watcher } from '../../kernel';

/** The 29 option names every watcher reports, sorted. */
export const STANDARD_OPTIONS: readonly string[] = [
  'args', 'close_child_stderr', 'close_child_stdin', 'close_child_stdout', 'cmd', 'copy_env', 'env',
  'executable', 'gid', 'graceful_timeout', 'max_age', 'max_age_variance', 'max_retry', 'numprocesses',
  'on_demand', 'priority', 'respawn', 'send_hup', 'shell', 'shell_args', 'singleton', 'stderr_stream_conf',
  'stdout_stream_conf', 'stop_children', 'stop_signal', 'uid', 'use_sockets', 'warmup_delay', 'working_dir',
];

/** Config keys Circus keeps off the `options` listing even as extras. */
const HIDDEN_EXTRAS = new Set(['virtualenv', 'virtualenv_py_ver', 'respawn_backoff_min', 'respawn_backoff_max', 'respawn_min_uptime', 'respawn_backoff_after']);

function emptyToNull<T extends object>(runtime: boolean, value: T): T | null {
  return runtime && Object.keys(value).length === 0 ? null : value;
}

/** The 29 standard options of `w`, by name. */
export function standardOptions(arbiter: Arbiter, w: Watcher): Record<string, unknown> {
  const s = w.options();
  const runtime = arbiter.isRuntimeAdded(w);
  const args = s.args === null ? (runtime ? null : '') : Array.isArray(s.args) ? [...s.args] : s.args;
  return {
    args,
    close_child_stderr: s.close_child_stderr,
    close_child_stdin: s.close_child_stdin,
    close_child_stdout: s.close_child_stdout,
    cmd: s.cmd,
    copy_env: s.copy_env,
    env: emptyToNull(runtime, s.env),
    // Circus never fills it in (quirk of spec 2.14).
    executable: null,
    gid: s.gid,
    graceful_timeout: s.graceful_timeout,
    max_age: s.max_age,
    max_age_variance: s.max_age_variance,
    max_retry: s.max_retry,
    numprocesses: s.numprocesses,
    on_demand: s.on_demand,
    priority: s.priority,
    respawn: s.respawn,
    send_hup: s.send_hup,
    shell: s.shell,
    shell_args: Array.isArray(s.shell_args) ? [...s.shell_args] : s.shell_args,
    singleton: s.singleton,
    stderr_stream_conf: emptyToNull(runtime, { ...s.stderr_stream }),
    stdout_stream_conf: emptyToNull(runtime, { ...s.stdout_stream }),
    stop_children: s.stop_children,
    stop_signal: s.stop_signal,
    uid: s.uid,
    use_sockets: s.use_sockets,
    warmup_delay: s.warmup_delay,
    working_dir: s.working_dir,
  };
}

/** The free-form extras of `w` (config watchers also report `__name__`). */
export function extraOptions(arbiter: Arbiter, w: Watcher): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!arbiter.isRuntimeAdded(w)) out.__name__ = `watcher:${w.name}`;
  for (const [k, v] of Object.entries(w.options().extra)) {
    if (!HIDDEN_EXTRAS.has(k) && !STANDARD_OPTIONS.includes(k)) out[k] = v;
  }
  return out;
}

/** Everything `options` answers: standard keys and extras, sorted by key. */
export function allOptions(arbiter: Arbiter, w: Watcher): Record<string, unknown> {
  const merged = { ...extraOptions(arbiter, w), ...standardOptions(arbiter, w) };
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(merged).sort()) out[key] = merged[key];
  return out;
}
