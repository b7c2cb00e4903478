/**
 * Runs the built circusd (build/cli/circusd.js) as a real child process for
 * the integration tests, and cleans up every process it or its watchers
 * started, even when a test fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root: the nearest directory above this file holding package.json. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

export const ROOT = repoRoot();
export const CIRCUSD = path.join(ROOT, 'build', 'cli', 'circusd.js');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'cli');
export const WORKER = path.join(FIXTURES, 'worker.js');

/**
 * Whether a process with this pid is running. A zombie counts as gone: the
 * daemon is re-parented when its first circusd exits, and whether anything
 * reaps it then depends on the machine's init, not on circusd.
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Polls `check` every 20 ms until it returns a non-undefined value; fails after `ms`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every live descendant of `pid`, read from /proc (children files), depth first. */
export function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number, depth: number): void => {
    if (depth > 50) return;
    let kids: number[] = [];
    try {
      kids = fs
        .readFileSync(`/proc/${p}/task/${p}/children`, 'utf8')
        .split(' ')
        .filter((x) => x.trim() !== '')
        .map(Number);
    } catch {
      return; // Gone already.
    }
    for (const k of kids) {
      out.push(k);
      visit(k, depth + 1);
    }
  };
  visit(pid, 0);
  return out;
}

/** A running (or finished) circusd. */
export interface CircusdRun {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Settles with the exit status (or the signal name). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** One test's sandbox: a temp dir, and every pid to reap at the end. */
export class Sandbox {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'circusd-it-'));
  private readonly runs: CircusdRun[] = [];
  private readonly extraPids = new Set<number>();

  /** Remembers a pid to kill at cleanup (daemons, helper processes). */
  track(pid: number): void {
    this.extraPids.add(pid);
  }

  /** Starts circusd with `args`, in `cwd` (the sandbox by default); `extraStdio` hands it descriptors 3 and up. */
  start(args: readonly string[], opts: { cwd?: string; extraStdio?: ('ignore' | number)[] } = {}): CircusdRun {
    const child = spawn(process.execPath, [CIRCUSD, ...args], {
      cwd: opts.cwd ?? this.dir,
      stdio: ['ignore', 'pipe', 'pipe', ...(opts.extraStdio ?? [])],
      env: { ...process.env },
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('close', (code, signal) => resolve({ code, signal })),
    );
    const run: CircusdRun = { child, pid: child.pid as number, stdout: () => out, stderr: () => err, exited };
    this.runs.push(run);
    return run;
  }

  /** Runs circusd to completion (bounded) and returns its status and output. */
  async run(args: readonly string[], ms = 15_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const r = this.start(args);
    let timer: NodeJS.Timeout | undefined;
    try {
      const status = await Promise.race([
        r.exited,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`circusd ${args.join(' ')} did not exit within ${ms} ms`)), ms);
        }),
      ]);
      return { code: status.code, stdout: r.stdout(), stderr: r.stderr() };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Worker pids currently recorded by test/fixtures/cli/worker.js in the sandbox. */
  workerPids(): number[] {
    return fs
      .readdirSync(this.dir)
      .map((f) => /^worker-(\d+)\.pid$/.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  }

  /** Writes a circusd config in the sandbox; `body` may use {dir}, {node} and {worker}. */
  writeConfig(name: string, body: string): string {
    const file = path.join(this.dir, name);
    const text = body.replace(/\{dir\}/g, this.dir).replace(/\{node\}/g, process.execPath).replace(/\{worker\}/g, WORKER);
    fs.writeFileSync(file, text);
    return file;
  }

  /** Kills whatever is still running, then removes the sandbox. */
  async cleanup(): Promise<void> {
    // A circusd still running has children holding its stdout/stderr, so its
    // 'close' would never come after a SIGKILL: its descendants are listed
    // first and killed with it, and only its 'exit' is awaited.
    const descendants: number[] = [];
    const exits: Promise<unknown>[] = [];
    for (const r of this.runs) {
      if (r.child.exitCode === null && r.child.signalCode === null) {
        descendants.push(...descendantsOf(r.pid));
        exits.push(new Promise((resolve) => r.child.once('exit', resolve)));
        r.child.kill('SIGKILL');
      }
    }
    await Promise.all(exits);
    const pids = [...this.extraPids, ...this.workerPids(), ...descendants];
    for (const pid of pids) {
      if (alive(pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Raced with its own exit: nothing left to kill.
        }
      }
    }
    await waitFor('sandbox processes to die', () => pids.every((p) => !alive(p)), 5000);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A config with one watcher of `n` workers, ipc endpoints in the sandbox, short timeouts. */
export function workerConfig(n = 2, circusExtra = ''): string {
  return `[circus]
check_delay = 1
endpoint = ipc://{dir}/ctl.sock
pubsub_endpoint = ipc://{dir}/pub.sock
${circusExtra}

[watcher:workers]
cmd = {node} {worker} {dir}
numprocesses = ${n}
graceful_timeout = 1
`;
}
