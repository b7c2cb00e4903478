/**
 * `--ssh USER@HOST[:PORT]` (spec/protocol.md 3.2): the system `ssh` client
 * forwards a free local port to the endpoint's host:port as seen from the
 * SSH server; the DEALER then connects to tcp://127.0.0.1:<local port>.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { CircusError } from '../../kernel/index';

/** The tunnel could not be opened (bad endpoint, ssh failed). Exit 1. */
export class SshTunnelError extends CircusError {
  readonly code = 'E_SSH_TUNNEL';
}

/** An open tunnel. */
export interface SshTunnel {
  /** The local endpoint to connect to instead of the remote one. */
  readonly endpoint: string;
  /** Stops ssh (waits for it to exit). */
  close(): Promise<void>;
}

/** Options of {@link openSshTunnel}. */
export interface SshTunnelOptions {
  /** `USER@HOST[:PORT]` (user optional). */
  readonly server: string;
  readonly keyfile: string | null;
  /** The remote control endpoint, tcp:// only. */
  readonly endpoint: string;
  /** How long to wait for the forwarded port, in ms. */
  readonly waitMs: number;
  /** Whether ssh may prompt (a terminal is attached); else BatchMode=yes. */
  readonly interactive: boolean;
  /** The ssh program; `ssh` from PATH by default. */
  readonly program?: string;
  /**
   * Extra ssh arguments (from `$CIRCUSCTL_SSH_OPTIONS`), placed after
   * circusctl's own options and before the destination.
   */
  readonly extraArgs?: readonly string[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

/** The ssh argument vector (exported for tests). */
export function sshArgv(opts: SshTunnelOptions, localPort: number): string[] {
  const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d+)$/.exec(opts.endpoint);
  if (!m) throw new SshTunnelError(`--ssh can only tunnel a tcp://HOST:PORT endpoint, not '${opts.endpoint}'`);
  const host = m[1] === '*' || m[1] === '0.0.0.0' ? '127.0.0.1' : m[1];
  const s = /^(?:([^@]+)@)?([^@:]+|\[[^\]]+\])(?::(\d+))?$/.exec(opts.server);
  if (!s) throw new SshTunnelError(`--ssh expects USER@HOST[:PORT], not '${opts.server}'`);
  const argv = ['-N', '-L', `${localPort}:${host}:${m[2]}`, '-o', 'ExitOnForwardFailure=yes'];
  if (!opts.interactive) argv.push('-o', 'BatchMode=yes');
  if (s[3] !== undefined) argv.push('-p', s[3]);
  if (opts.keyfile) argv.push('-i', opts.keyfile);
  argv.push(...(opts.extraArgs ?? []));
  argv.push(s[1] !== undefined ? `${s[1]}@${s[2]}` : s[2]);
  return argv;
}

function stop(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  return exited.then(() => clearTimeout(timer));
}

/** Starts ssh and resolves once the local end of the tunnel accepts connections. */
export async function openSshTunnel(opts: SshTunnelOptions): Promise<SshTunnel> {
  const localPort = await freePort();
  const argv = sshArgv(opts, localPort);
  const child = spawn(opts.program ?? 'ssh', argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  let stderrDone = false;
  child.once('close', () => (stderrDone = true));
  let failure: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      failure = error;
      resolve();
    });
    child.once('exit', () => resolve());
  });
  const tunnel: SshTunnel = { endpoint: `tcp://127.0.0.1:${localPort}`, close: () => stop(child, exited) };
  const deadline = Date.now() + opts.waitMs;
  for (;;) {
    if (failure !== undefined) throw new SshTunnelError(`cannot run ssh: ${failure.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      // ssh's own last words (e.g. `Permission denied (publickey).`) say why;
      // 'exit' can come before its stderr is read: wait a little for 'close'.
      for (let i = 0; i < 20 && !stderrDone; i += 1) await new Promise((r) => setTimeout(r, 50));
      const why = stderr.trim() || 'no message';
      throw new SshTunnelError(
        `the ssh tunnel through ${opts.server} failed: ssh exited with status ${child.exitCode ?? child.signalCode}: ${why}`,
      );
    }
    if (await accepts(localPort)) return tunnel;
    if (Date.now() > deadline) {
      await tunnel.close();
      throw new SshTunnelError(`the ssh tunnel through ${opts.server} did not open within ${opts.waitMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
