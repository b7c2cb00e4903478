/**
 * Runs the built circusctl (build/cli/circusctl.js) as a child process for
 * the integration tests, with its output collected, a bounded wait, and a
 * way to kill whatever is still running in afterEach.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from './circusd-harness';

export const CIRCUSCTL = path.join(ROOT, 'build', 'cli', 'circusctl.js');

export interface CtlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CtlOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
}

export interface RunningCtl {
  readonly child: ReturnType<typeof spawn>;
  stdout(): string;
  readonly done: Promise<CtlResult>;
}

/** circusctl runs of one test file; `limitMs` bounds each `run`. */
export class CtlRunner {
  private readonly running = new Set<RunningCtl>();

  constructor(private readonly limitMs: number) {}

  /** Starts circusctl; the variables that change its behaviour are cleared unless `env` sets them. */
  start(args: readonly string[], opts: CtlOptions = {}): RunningCtl {
    const child = spawn(process.execPath, [CIRCUSCTL, ...args], {
      env: { ...process.env, CIRCUSCTL_ENDPOINT: undefined, CIRCUSCTL_SSH_OPTIONS: undefined, AUTO_COMPLETE: undefined, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.stdin.end(opts.input ?? '');
    const run: RunningCtl = {
      child,
      stdout: () => out,
      done: new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout: out, stderr: err }))),
    };
    this.running.add(run);
    void run.done.then(() => this.running.delete(run));
    return run;
  }

  /** Runs circusctl to completion; rejects if it has not exited within the limit. */
  async run(args: readonly string[], opts: CtlOptions = {}): Promise<CtlResult> {
    const run = this.start(args, opts);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        run.done,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`circusctl ${args.join(' ')} did not exit in ${this.limitMs / 1000} s`)), this.limitMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills every run still going and waits for them. */
  async killAll(): Promise<void> {
    for (const run of this.running) run.child.kill('SIGKILL');
    await Promise.all([...this.running].map((r) => r.done));
  }
}
