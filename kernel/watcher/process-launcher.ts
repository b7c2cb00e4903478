import { buildCommandLine } from '../process/command-line';
import { CircusProcess } from '../process/process';
import { StdioSpec } from '../process/spawner';
import { runtimeVariables } from './runtime-variables';
import { WatcherSettings } from './watcher-settings';
import { WatcherServices } from './watcher-types';

/**
 * Child stdio of spec/daemon.md 2.4.1. A configured stream will make fd 1/2 a
 * pipe once output streams exist; until then the output is inherited (see
 * the construction warning), since an undrained pipe would block the child.
 */
export function stdioOf(s: WatcherSettings): StdioSpec {
  const out = (close: boolean): StdioSpec['stdout'] => (close ? 'ignore' : 'inherit');
  return {
    stdin: s.close_child_stdin ? 'ignore' : 'inherit',
    stdout: out(s.close_child_stdout),
    stderr: out(s.close_child_stderr),
  };
}

/**
 * One spawn attempt with worker id `wid`: resolves the identity, builds the
 * command line with the runtime variables (spec 2.3, 1.6.5), logs its
 * warnings, and starts the child. Rejects when the attempt fails.
 */
export async function launchProcess(s: WatcherSettings, wid: number, svc: WatcherServices): Promise<CircusProcess> {
  const identity = await svc.spawner.resolveIdentity(s.uid, s.gid);
  const line = buildCommandLine({
    cmd: s.cmd,
    args: s.args,
    shell: s.shell,
    shellArgs: s.shell_args,
    executable: s.executable,
    env: s.env,
    variables: runtimeVariables(s, wid, identity),
  });
  for (const w of line.warnings) svc.logger.warning(`${s.name}: ${w}`);
  const started = svc.clock.now();
  const startedMono = svc.clock.monotonic();
  const handle = await svc.spawner.spawn({
    file: line.file,
    argv: line.argv,
    cwd: s.working_dir,
    env: s.env,
    stdio: stdioOf(s),
    rlimits: s.rlimits,
    identity,
  });
  return new CircusProcess(handle, wid, started, startedMono, line.argv, svc.tree, () => svc.clock.now());
}
