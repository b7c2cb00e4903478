import { PyValue, pyFloat } from '../../config/python';
import { Identity } from '../process/spawner';
import { WatcherSettings } from './watcher-settings';

/**
 * The `$(circus.*)` table of one spawn (spec/daemon.md 1.6.5): process
 * settings, the watcher's current attributes, its env and rlimits. Float
 * attributes are marked so they render as Python floats (`30.0`).
 */
export function runtimeVariables(
  s: WatcherSettings,
  wid: number,
  identity: Identity,
  sockets: Readonly<Record<string, number>> = {},
): Record<string, PyValue> {
  const args = s.args === null ? null : typeof s.args === 'string' ? s.args : [...s.args];
  const shellArgs = s.shell_args === null ? null : typeof s.shell_args === 'string' ? s.shell_args : [...s.shell_args];
  return {
    wid,
    env: s.env,
    sockets,
    shell: s.shell,
    args,
    working_dir: s.working_dir,
    uid: identity.uid,
    gid: identity.gid,
    executable: s.executable,
    use_fds: s.use_sockets,
    rlimits: s.rlimits,
    numprocesses: s.numprocesses,
    warmup_delay: s.warmup_delay,
    send_hup: s.send_hup,
    stop_signal: s.stop_signal,
    stop_children: s.stop_children,
    shell_args: shellArgs,
    max_retry: s.max_retry,
    cmd: s.cmd,
    respawn: s.respawn,
    graceful_timeout: pyFloat(s.graceful_timeout),
    use_sockets: s.use_sockets,
    priority: s.priority,
    copy_env: s.copy_env,
    singleton: s.singleton,
    on_demand: s.on_demand,
    max_age: s.max_age,
    max_age_variance: s.max_age_variance,
    close_child_stdin: s.close_child_stdin,
    close_child_stdout: s.close_child_stdout,
    close_child_stderr: s.close_child_stderr,
    stdout_stream_conf: s.stdout_stream,
    stderr_stream_conf: s.stderr_stream,
  } as Record<string, PyValue>;
}
