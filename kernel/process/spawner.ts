import { ChildProcess, spawn as nodeSpawn } from 'node:child_process';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { closeFd, openPipe } from '../sockets/libc';
import { SpawnError } from '../errors';
import { resolveGroup, resolveUser } from './users';

/**
 * The read end of a pipe circusd made for a child's stdout/stderr: a plain
 * blocking, close-on-exec fd that nothing reads until the output streams
 * take it; whoever takes it closes it. (Node's own 'pipe' is a socketpair
 * its event loop reads 64 KiB at a time; this one can be grown and read
 * off the main thread, see kernel/streams/file-pump.ts.)
 */
export interface RawPipe {
  readonly kind: 'raw-pipe';
  readonly fd: number;
}

/** A child's output pipe: a raw fd on Linux, a Node stream elsewhere (and from fakes). */
export type OutputPipe = Readable | RawPipe;

/** Capacity asked for each output pipe (F_SETPIPE_SZ; the kernel may refuse and keep 64 KiB). */
export const OUTPUT_PIPE_CAPACITY = 1024 * 1024;

/** Where the child's standard streams go (spec/daemon.md 2.4.1). */
export interface StdioSpec {
  /** `'ignore'` is /dev/null (close_child_stdin); a number is an fd (the stdin_socket). */
  readonly stdin: 'ignore' | 'inherit' | number;
  /** `'pipe'` when a stream is configured (output streams, later work). */
  readonly stdout: 'ignore' | 'inherit' | 'pipe';
  readonly stderr: 'ignore' | 'inherit' | 'pipe';
  /** Extra descriptors from fd 3 on (circus sockets with use_sockets); `'ignore'` fills gaps. */
  readonly extraFds?: readonly (number | 'ignore')[];
}

/** The uid/gid a child runs as; null fields keep circusd's. */
export interface Identity {
  readonly uid: number | null;
  readonly gid: number | null;
  /** User name for initgroups, when uid is set. */
  readonly user: string | null;
}

/** Everything needed to start one child. */
export interface SpawnSpec {
  /** Program to run: a path, or a name looked up on the child's PATH. */
  readonly file: string;
  /** Full argv, argv[0] being the displayed name. */
  readonly argv: readonly string[];
  readonly cwd: string;
  /** The complete child environment (nothing is inherited). */
  readonly env: Readonly<Record<string, string>>;
  readonly stdio: StdioSpec;
  /** rlimit name (nofile, nproc, ...) to value; -1 = unlimited. */
  readonly rlimits: Readonly<Record<string, number>>;
  readonly identity: Identity;
}

/** How a child ended, as Node reports it. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A started child. */
export interface ChildHandle {
  readonly pid: number;
  /** Settles exactly once, when the child has exited (never rejects). */
  readonly exited: Promise<ExitStatus>;
  readonly stdout: OutputPipe | null;
  readonly stderr: OutputPipe | null;
  /** Signals the child; false when it no longer exists. */
  kill(signum: number): boolean;
  /** Signals the child's process group (the child is a session leader). */
  killGroup(signum: number): boolean;
}

/** Starts children; the kernel never calls child_process directly elsewhere. */
export interface Spawner {
  /** Resolves uid/gid specs (names or numbers); rejects when unknown. */
  resolveIdentity(uid: string | null, gid: string | null): Promise<Identity>;
  /**
   * Starts the child; resolves once it runs, rejects with a SpawnError whose
   * message reads like Circus's (`[Errno 2] No such file or directory: ...`)
   * when it cannot be started.
   */
  spawn(spec: SpawnSpec): Promise<ChildHandle>;
}
export const Spawner = Symbol('Spawner');

/** prlimit option names (util-linux), i.e. the rlimits Linux knows. */
export const RLIMIT_NAMES: ReadonlySet<string> = new Set([
  'as', 'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice',
  'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack',
]);

function signalNumberOk(pid: number, signum: number): boolean {
  try {
    process.kill(pid, signum);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

class NodeChild implements ChildHandle {
  readonly exited: Promise<ExitStatus>;
  private done = false;

  constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    private readonly raw: { stdout: RawPipe | null; stderr: RawPipe | null },
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.done = true;
        resolve({ code, signal });
      });
    });
  }

  get stdout(): OutputPipe | null {
    return this.raw.stdout ?? this.child.stdout;
  }

  get stderr(): OutputPipe | null {
    return this.raw.stderr ?? this.child.stderr;
  }

  kill(signum: number): boolean {
    // Once Node has reaped the child its pid may be reused: never signal it again.
    if (this.done) return false;
    return signalNumberOk(this.pid, signum);
  }

  killGroup(signum: number): boolean {
    // The group outlives its leader, so this is allowed after exit.
    return signalNumberOk(-this.pid, signum);
  }
}

function findOnPath(name: string, candidates: readonly string[]): string | null {
  for (const dir of candidates) {
    const full = path.join(dir, name);
    try {
      accessSync(full, fsConstants.X_OK);
      if (statSync(full).isFile()) return full;
    } catch {
      // Not in this directory: keep looking, as execvp does.
    }
  }
  return null;
}

/**
 * Spawns real children with child_process.spawn, detached (setsid). What
 * Node cannot do before exec is delegated to util-linux tools that exec in
 * place, keeping the pid: `prlimit --NAME=N:N --` for rlimits and
 * `setpriv --reuid --regid --init-groups --` for the identity (libuv drops
 * supplementary groups instead of calling initgroups). Failures the tools
 * would only report as exit 127 (missing program or directory, unknown
 * user) are checked first, so they count as failed attempts.
 */
export class NodeSpawner implements Spawner {
  private nofileHard: number | null = null;

  async resolveIdentity(uid: string | null, gid: string | null): Promise<Identity> {
    let user: { uid: number; name: string | null; gid: number } | null = null;
    if (uid !== null && uid !== '') user = await resolveUser(uid);
    let group: number | null = null;
    if (gid !== null && gid !== '') group = await resolveGroup(gid);
    else if (user) group = user.gid;
    // Circus treats id 0 as "not set" (quirk, harmless): no call is made.
    const u = user && user.uid !== 0 ? user.uid : null;
    const g = group !== null && group !== 0 ? group : null;
    return { uid: u, gid: g, user: u !== null && user ? user.name : null };
  }

  async spawn(spec: SpawnSpec): Promise<ChildHandle> {
    this.checkDirectory(spec.cwd);
    const resolved = this.resolveProgram(spec);
    const rlimitArgs = await this.rlimitArgs(spec.rlimits);
    const identityArgs = this.identityArgs(spec.identity);
    const argv0 = spec.argv[0] ?? spec.file;
    let command: string;
    let args: string[];
    let spawnArgv0: string | undefined;
    if (rlimitArgs.length === 0 && identityArgs.length === 0) {
      command = resolved;
      args = spec.argv.slice(1);
      spawnArgv0 = argv0;
    } else {
      const chain: string[] = [];
      if (rlimitArgs.length > 0) chain.push(this.tool('prlimit'), ...rlimitArgs, '--');
      if (identityArgs.length > 0) chain.push(this.tool('setpriv'), ...identityArgs, '--');
      if (argv0 === spec.file) {
        // The last exec searches the child's PATH (default /bin:/usr/bin) like
        // our own lookup did, and argv[0] stays the configured token.
        chain.push(spec.file, ...spec.argv.slice(1));
      } else {
        // `executable` differs from argv[0]: only bash's `exec -a` sets both.
        chain.push('/bin/bash', '-c', 'exec -a "$0" "$@"', argv0, resolved, ...spec.argv.slice(1));
      }
      [command, ...args] = chain;
    }
    const out = rawOutputPipe('stdout', spec.stdio.stdout);
    let err: { read: number; write: number } | null;
    try {
      err = rawOutputPipe('stderr', spec.stdio.stderr);
    } catch (e) {
      if (out) for (const fd of [out.read, out.write]) closeFd(fd);
      throw e;
    }
    const stdio: (string | number)[] = [spec.stdio.stdin, out?.write ?? spec.stdio.stdout, err?.write ?? spec.stdio.stderr, ...(spec.stdio.extraFds ?? [])];
    let child: ChildProcess;
    try {
      child = nodeSpawn(command, args, {
        argv0: spawnArgv0,
        cwd: spec.cwd,
        env: { ...spec.env },
        stdio: stdio as ('ignore' | 'inherit' | 'pipe' | number)[],
        detached: true,
      });
      await new Promise<void>((resolve, reject) => {
        const onError = (err: Error): void => {
          child.off('spawn', onSpawn);
          reject(new SpawnError(err.message, { cause: err }));
        };
        const onSpawn = (): void => {
          child.off('error', onError);
          resolve();
        };
        child.once('error', onError);
        child.once('spawn', onSpawn);
      });
    } catch (e) {
      for (const p of [out, err]) if (p) closeFd(p.read);
      throw e;
    } finally {
      // The child has its copy (or none): ours would hold the pipe open forever.
      for (const p of [out, err]) if (p) closeFd(p.write);
    }
    child.on('error', () => {
      // Late errors (a failed kill) are reported through return values instead.
    });
    const raw = (p: { read: number } | null): RawPipe | null => (p ? { kind: 'raw-pipe', fd: p.read } : null);
    return new NodeChild(child, child.pid as number, { stdout: raw(out), stderr: raw(err) });
  }

  // Sync stat/access: microseconds on a local path, and far cheaper than a
  // thread-pool round trip per check when hundreds of processes start.
  private checkDirectory(dir: string): void {
    let ok = false;
    try {
      ok = statSync(dir).isDirectory();
    } catch {
      ok = false;
    }
    if (!ok) throw new SpawnError(`[Errno 2] No such file or directory: '${dir}'`);
  }

  private resolveProgram(spec: SpawnSpec): string {
    const file = spec.file;
    if (file === '') throw new SpawnError('cannot spawn: empty command');
    if (file.includes('/')) {
      const full = path.resolve(spec.cwd, file);
      try {
        accessSync(full, fsConstants.F_OK);
      } catch {
        throw new SpawnError(`[Errno 2] No such file or directory: '${file}'`);
      }
      try {
        accessSync(full, fsConstants.X_OK);
      } catch {
        throw new SpawnError(`[Errno 13] Permission denied: '${file}'`);
      }
      return full;
    }
    const searchPath = spec.env.PATH ?? '/bin:/usr/bin';
    const dirs = searchPath.split(':').map((d) => path.resolve(spec.cwd, d || '.'));
    const found = findOnPath(file, dirs);
    if (!found) throw new SpawnError(`[Errno 2] No such file or directory: '${file}'`);
    return found;
  }

  private async rlimitArgs(rlimits: Readonly<Record<string, number>>): Promise<string[]> {
    const out: string[] = [];
    for (const [rawName, value] of Object.entries(rlimits)) {
      const name = rawName.toLowerCase();
      if (!RLIMIT_NAMES.has(name)) throw new SpawnError(`unknown rlimit 'rlimit_${rawName}'`);
      let v: string = value < 0 ? 'unlimited' : String(value);
      // Linux refuses an unlimited nofile; Circus falls back to the hard limit.
      if (name === 'nofile' && value < 0) v = String(await this.currentNofileHard());
      out.push(`--${name}=${v}:${v}`);
    }
    return out;
  }

  private identityArgs(identity: Identity): string[] {
    const out: string[] = [];
    if (identity.uid !== null) {
      out.push(`--reuid=${identity.uid}`);
      if (identity.gid !== null) out.push(`--regid=${identity.gid}`);
      // initgroups needs a passwd entry; a bare numeric uid gets no extra groups.
      out.push(identity.user !== null ? '--init-groups' : '--clear-groups');
    } else if (identity.gid !== null) {
      out.push(`--regid=${identity.gid}`, '--keep-groups');
    }
    return out;
  }

  private async currentNofileHard(): Promise<number> {
    if (this.nofileHard !== null) return this.nofileHard;
    const text = await readFile('/proc/self/limits', 'utf8');
    const line = text.split('\n').find((l) => l.startsWith('Max open files')) ?? '';
    const hard = line.split(/\s{2,}/)[2] ?? '';
    this.nofileHard = /^\d+$/.test(hard) ? Number(hard) : 1048576;
    return this.nofileHard;
  }

  private tool(name: string): string {
    const found = findOnPath(name, ['/usr/bin', '/bin', '/usr/sbin', '/sbin']);
    if (!found) throw new SpawnError(`${name} (util-linux) is required for this watcher but was not found`);
    return found;
  }
}

/** A raw pipe for a `'pipe'` output on Linux (the libc calls are Linux's); null elsewhere: Node's pipe is used. */
function rawOutputPipe(name: string, mode: StdioSpec['stdout']): { read: number; write: number } | null {
  if (mode !== 'pipe' || process.platform !== 'linux') return null;
  try {
    return openPipe(OUTPUT_PIPE_CAPACITY);
  } catch (err) {
    throw new SpawnError(`cannot create the ${name} pipe: ${(err as Error).message}`, { cause: err });
  }
}

/** Signal number to exit code convention of Circus: killed by N gives -N. */
export function exitCodeOf(status: ExitStatus): number {
  if (status.signal) return -(osConstants.signals[status.signal] ?? 0);
  return status.code ?? 0;
}
