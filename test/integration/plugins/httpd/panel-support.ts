/**
 * Support of the panel's integration tests: a fresh sandbox per test, a
 * real circusd (the built program) with `httpd = 1` on a free 127.0.0.1
 * port, a real circushttpd process, and waiting for the panel to answer.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { alive, ROOT, Sandbox, type CircusdRun } from '../../cli/circusd-harness';
import { freePort } from '../../../support/free-port';
import { rawRequest, RecordingSocket, until } from '../../../unit/plugins/httpd/helpers';

export const CIRCUSHTTPD = path.join(ROOT, 'build', 'cli', 'circushttpd.js');
export const CIRCUSCTL = path.join(ROOT, 'build', 'cli', 'circusctl.js');

/** The per-test state of a panel suite (see {@link panelRig}). */
export interface PanelRig {
  /** This test's sandbox (a new one each test). */
  readonly sandbox: Sandbox;
  /** Websockets the test opened: closed after it. */
  readonly sockets: RecordingSocket[];
}

/**
 * Registers the hooks of a panel suite: a fresh Sandbox before each test;
 * after it, its websockets closed, the sandbox cleaned up, and a failure if
 * a worker outlived it.
 */
export function panelRig(): PanelRig {
  let current: Sandbox | null = null;
  const sockets: RecordingSocket[] = [];
  beforeEach(() => {
    current = new Sandbox();
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) await s.close();
    if (!current) return;
    const pids = current.workerPids();
    await current.cleanup();
    current = null;
    assert.deepEqual(pids.filter(alive), [], 'no worker left');
  });
  return {
    get sandbox(): Sandbox {
      if (!current) throw new Error('the panel sandbox exists only inside a test');
      return current;
    },
    sockets,
  };
}

/** A circusd whose panel answers on `port`. */
export interface PanelDaemonRun {
  readonly run: CircusdRun;
  readonly port: number;
  readonly endpoint: string;
}

/** The [circus] section of a sandboxed circusd with the panel on, plus a watcher of two workers. */
export function panelConfig(port: number, extra = '', name = 'workers'): string {
  return `[circus]
check_delay = 1
endpoint = ipc://{dir}/ctl-${name}.sock
pubsub_endpoint = ipc://{dir}/pub-${name}.sock
stats_endpoint = ipc://{dir}/stats-${name}.sock
${extra}

[watcher:${name}]
cmd = {node} {worker} {dir}
numprocesses = 2
graceful_timeout = 1
`;
}

/** Waits until the panel on `port` answers an HTTP request (any status). */
export async function panelAnswers(port: number, ms = 20_000): Promise<void> {
  await until(
    `the panel on 127.0.0.1:${port} to answer`,
    () => rawRequest(port, { path: '/api/session' }).then(() => true, () => false),
    ms,
  );
}

/** Starts circusd with the panel on a free port; `extra` lines go in [circus]. */
export async function startPanelDaemon(sandbox: Sandbox, extra = ''): Promise<PanelDaemonRun> {
  const port = await freePort();
  const file = sandbox.writeConfig('circus.ini', panelConfig(port, `httpd = 1\nhttpd_host = 127.0.0.1\nhttpd_port = ${port}\n${extra}`));
  const run = sandbox.start([file]);
  await panelAnswers(port).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}\ncircusd stderr:\n${run.stderr()}`);
  });
  await until('the two workers to run', () => sandbox.workerPids().length === 2 || undefined, 20_000);
  return { run, port, endpoint: `ipc://${sandbox.dir}/ctl-workers.sock` };
}

/** A circushttpd child with its output. */
export interface HttpdRun {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the built circushttpd; the sandbox kills it at cleanup. `stdin` is written and closed. */
export function startCircushttpd(sandbox: Sandbox, args: readonly string[], stdin?: string): HttpdRun {
  const child = spawn(process.execPath, [CIRCUSHTTPD, ...args], { cwd: sandbox.dir, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env } });
  sandbox.track(child.pid as number);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  child.stdin?.end(stdin);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits for a child to exit, failing after `ms`. */
export async function exitOf(run: { exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }, ms = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      run.exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no exit within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * How many descriptors of process `pid` are the socket listening on
 * 127.0.0.1:`port` (read from /proc/net/tcp and /proc/PID/fd).
 */
export function listenerFds(pid: number, port: number): number {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const line of fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1] === local && f[3] === '0A') inodes.add(f[9]);
  }
  let count = 0;
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m && inodes.has(m[1])) count++;
    } catch {
      // Closed while listing.
    }
  }
  return count;
}
