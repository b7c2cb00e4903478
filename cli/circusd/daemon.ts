/**
 * `--daemon` (spec/daemon.md 7.6). Node cannot fork, so circusd re-spawns
 * itself detached (new session, stdio on /dev/null, same cwd, same arguments
 * minus `--daemon`). The parent does not exit blindly: the daemon reports on
 * an extra pipe (fd 3) once its pidfile is written and its arbiter started,
 * or why it failed; the parent exits 0 on success, with the daemon's message
 * and status on failure, and gives up waiting after a bounded time.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { argsWithoutDaemon, type CircusdArgs } from './args';
import { CircusdError } from './errors';

/** The environment variable naming the readiness descriptor in the daemon. */
export const READY_FD_ENV = 'CIRCUS_TS_READY_FD';

/** The message the daemon sends its parent. */
type ReadyMessage =
  | { readonly ready: true; readonly pid: number }
  | { readonly ready: false; readonly message: string; readonly exitCode: number; readonly stdout: boolean };

/** What ended the parent's wait. */
type WaitOutcome =
  | { readonly kind: 'message'; readonly message: ReadyMessage }
  | { readonly kind: 'exit'; readonly code: number | null; readonly signal: string | null }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'spawn-error'; readonly error: Error };

/** Where the parent reports. */
export interface DaemonOutput {
  out(text: string): void;
  err(text: string): void;
}

/** Options of {@link startDaemon}. */
export interface StartDaemonOptions {
  /** The script to run (`build/cli/circusd.js`). */
  readonly script: string;
  /** Give up waiting for the daemon's report after this long (ms). */
  readonly readyTimeoutMs?: number;
}

/**
 * Parent side: spawns the daemon and resolves with the exit status the
 * parent should end with once the daemon has reported (or exited, or the
 * wait timed out).
 */
export async function startDaemon(args: CircusdArgs, options: StartDaemonOptions, output: DaemonOutput): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, options.script, ...argsWithoutDaemon(args)], {
    cwd: process.cwd(),
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    env: { ...process.env, [READY_FD_ENV]: '3' },
  });
  const channel = child.stdio[3];
  if (!channel) throw new CircusdError('CIRCUSD_DAEMON', 'cannot create the readiness pipe of the daemon');
  const timeoutMs = options.readyTimeoutMs ?? 60_000;

  const outcome = await new Promise<WaitOutcome>((resolve) => {
    let buffer = '';
    const timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
    const finish = (value: WaitOutcome): void => {
      clearTimeout(timer);
      resolve(value);
    };
    channel.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      try {
        finish({ kind: 'message', message: JSON.parse(buffer.slice(0, nl)) as ReadyMessage });
      } catch (error) {
        finish({ kind: 'spawn-error', error: error as Error });
      }
    });
    channel.on('error', () => {
      // The daemon closing its end early shows up as its exit, handled below.
    });
    child.once('error', (error) => finish({ kind: 'spawn-error', error }));
    child.once('exit', (code, signal) => finish({ kind: 'exit', code, signal }));
  });

  channel.destroy();
  child.unref();
  switch (outcome.kind) {
    case 'message':
      if (outcome.message.ready) return 0;
      (outcome.message.stdout ? output.out : output.err)(`${outcome.message.message}\n`);
      return outcome.message.exitCode;
    case 'exit':
      output.err(
        `circusd: the daemon exited (${outcome.signal ? `signal ${outcome.signal}` : `status ${outcome.code}`}) before it was ready\n`,
      );
      return outcome.code === null || outcome.code === 0 ? 1 : outcome.code;
    case 'timeout':
      output.err(
        `circusd: the daemon (pid ${child.pid}) did not report readiness within ${timeoutMs / 1000} s; it is left running\n`,
      );
      return 0;
    default:
      output.err(`circusd: cannot start the daemon: ${outcome.error.message}\n`);
      return 1;
  }
}

/** Daemon side: the pipe to the waiting parent, if this process was started by {@link startDaemon}. */
export class DaemonReadiness {
  private fd: number | null;

  private constructor(fd: number | null) {
    this.fd = fd;
  }

  /**
   * Takes the readiness descriptor named in `env` and removes the variable,
   * so watchers started with `copy_env` do not inherit it.
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): DaemonReadiness {
    const raw = env[READY_FD_ENV];
    delete env[READY_FD_ENV];
    const fd = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : null;
    return new DaemonReadiness(fd);
  }

  /** Whether a parent is waiting. */
  get active(): boolean {
    return this.fd !== null;
  }

  private send(message: ReadyMessage): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      fs.writeSync(fd, `${JSON.stringify(message)}\n`);
      fs.closeSync(fd);
    } catch {
      // The parent gave up waiting (timeout) and closed its end, or the
      // variable was set by hand without the descriptor: either way nobody
      // is listening, and the daemon goes on.
    }
  }

  /** Tells the parent the daemon is up. */
  ready(): void {
    this.send({ ready: true, pid: process.pid });
  }

  /** Tells the parent why the daemon is about to exit with `exitCode`. */
  fail(message: string, exitCode: number, stdout = false): void {
    this.send({ ready: false, message, exitCode, stdout });
  }
}
