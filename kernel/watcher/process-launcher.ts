import { buildCommandLine } from '../process/command-line';
import { CircusProcess } from '../process/process';
import { Identity, StdioSpec } from '../process/spawner';
import { NO_SOCKETS, SocketSpawnPlan } from '../sockets/circus-sockets';
import { runtimeVariables } from './runtime-variables';
import { WatcherSettings } from './watcher-settings';
import { WatcherServices } from './watcher-types';

/**
 * Child stdio of spec/daemon.md 2.4.1: fd 1/2 is a pipe (read by the
 * watcher's stream redirector) when a stream is configured, /dev/null when
 * closed (close_child_* wins: the stream then gets nothing), else inherited.
 */
export function stdioOf(s: WatcherSettings): StdioSpec {
  const out = (close: boolean, stream: Readonly<Record<string, string>>): StdioSpec['stdout'] =>
    close ? 'ignore' : Object.keys(stream).length > 0 ? 'pipe' : 'inherit';
  return {
    stdin: s.close_child_stdin ? 'ignore' : 'inherit',
    stdout: out(s.close_child_stdout, s.stdout_stream),
    stderr: out(s.close_child_stderr, s.stderr_stream),
  };
}

/**
 * One spawn attempt with worker id `wid`: resolves the identity, builds the
 * command line with the runtime variables (spec 2.3, 1.6.5), logs its
 * warnings, and starts the child. Rejects when the attempt fails.
 */
export async function launchProcess(s: WatcherSettings, wid: number, svc: WatcherServices): Promise<CircusProcess> {
  const identity = await svc.spawner.resolveIdentity(s.uid, s.gid);
  const sockets = svc.sockets
    ? svc.sockets.plan({ watcher: s.name, cmd: s.cmd, useSockets: s.use_sockets, stdinSocket: s.stdin_socket })
    : NO_SOCKETS;
  try {
    return await spawnWith(s, wid, svc, identity, sockets);
  } finally {
    sockets.release();
  }
}

async function spawnWith(s: WatcherSettings, wid: number, svc: WatcherServices, identity: Identity, sockets: SocketSpawnPlan): Promise<CircusProcess> {
  const line = buildCommandLine({
    cmd: s.cmd,
    args: s.args,
    shell: s.shell,
    shellArgs: s.shell_args,
    executable: s.executable,
    env: s.env,
    variables: runtimeVariables(s, wid, identity, sockets.numbers),
  });
  for (const w of line.warnings) svc.logger.warning(`${s.name}: ${w}`);
  const started = svc.clock.now();
  const startedMono = svc.clock.monotonic();
  const handle = await svc.spawner.spawn({
    file: line.file,
    argv: line.argv,
    cwd: s.working_dir,
    env: s.env,
    // Spec 2.4.1 steps 6-7: the stdin socket wins over close_child_stdin;
    // each socket sits at the stdio index equal to the number substituted.
    stdio: { ...stdioOf(s), ...(sockets.stdin !== null ? { stdin: sockets.stdin } : {}), extraFds: sockets.extraFds },
    rlimits: s.rlimits,
    identity,
  });
  return new CircusProcess(handle, wid, started, startedMono, line.argv, svc.tree, () => svc.clock.now());
}
