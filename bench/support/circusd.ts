/**
 * The real circusd binary as the benches run it: a temp dir with a config
 * of N idle children (`/bin/sleep`) per watcher, a protocol client on its
 * control endpoint, a wait (bounded) until every child runs, and a stop
 * that quits it, kills it if it lingers and removes the temp dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CircusClient } from '../../protocol/client';
import type { ClientCurve } from '../../protocol/curve';
import { freePort } from '../../test/support/free-port';
import { sleep } from './measure';

/** What a bench asks of its circusd. */
export interface BenchDaemonSpec {
  /** Names the temp dir (`circus-bench-<label>-…`). */
  readonly label: string;
  /** Watcher name -> how many idle children it runs. */
  readonly watchers: Readonly<Record<string, number>>;
  /** The control endpoint: tcp on a free loopback port (default), or an ipc file in the temp dir. */
  readonly endpoint?: 'tcp' | 'ipc';
  /** More `[circus]` lines (given the temp dir, for ipc endpoints). */
  readonly circus?: (dir: string) => string;
  /** A further readiness check (say, the panel answering), polled with the children's. */
  readonly ready?: () => Promise<boolean>;
  /** The client's CURVE keys, when the `[circus]` lines turn CURVE on. */
  readonly curve?: ClientCurve;
  /** The client's timeout, in seconds (default 60). */
  readonly clientTimeout?: number;
  /** How long the start may take, in seconds (default 120). */
  readonly startSeconds?: number;
}

/** A running circusd with a client on its control endpoint. */
export interface BenchDaemon {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly client: CircusClient;
  readonly dir: string;
  readonly endpoint: string;
  /** Quits circusd (SIGKILL after 20 s), closes the client, removes the temp dir. */
  stop(): Promise<void>;
}

/** The built circusd next to the built bench. */
const CIRCUSD = path.join(__dirname, '..', '..', 'cli', 'circusd.js');

/** Starts circusd with `spec` and returns once every watcher runs all its children (and `ready` holds). */
export async function startBenchDaemon(spec: BenchDaemonSpec): Promise<BenchDaemon> {
  const dir = mkdtempSync(path.join(tmpdir(), `circus-bench-${spec.label}-`));
  const endpoint = spec.endpoint === 'ipc' ? `ipc://${dir}/ctl.sock` : `tcp://127.0.0.1:${await freePort()}`;
  const watchers = Object.entries(spec.watchers)
    .map(([name, n]) => `[watcher:${name}]\ncmd = /bin/sleep 100000\nnumprocesses = ${n}\ngraceful_timeout = 2\n`)
    .join('\n');
  const ini = path.join(dir, 'bench.ini');
  // check_delay 5 is the default, stated because the management pass and the panel's state push run at that period.
  writeFileSync(ini, `[circus]\ncheck_delay = 5\nendpoint = ${endpoint}\npubsub_endpoint = ipc://${dir}/pub.sock\n${spec.circus?.(dir) ?? ''}\n${watchers}`);
  const child = spawn(process.execPath, [CIRCUSD, ini], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  const client = new CircusClient({ endpoint, timeout: spec.clientTimeout ?? 60, curve: spec.curve });
  const stop = async (): Promise<void> => {
    await client.call('quit', { waiting: true }).catch(() => undefined);
    client.close();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
  const seconds = spec.startSeconds ?? 120;
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    if (await allRunning(client, spec)) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      const what = Object.entries(spec.watchers).map(([name, n]) => `${n} ${name}`).join(', ');
      throw new Error(`circusd (${ini}) did not start ${what}${spec.ready ? ' and pass its ready check' : ''} within ${seconds} s`);
    }
    await sleep(200);
  }
  return { child, pid: child.pid as number, client, dir, endpoint, stop };
}

/** Whether every watcher lists all its children and the extra check holds. */
async function allRunning(client: CircusClient, spec: BenchDaemonSpec): Promise<boolean> {
  try {
    for (const [name, n] of Object.entries(spec.watchers)) {
      const pids = (await client.call('list', { name })).pids as number[] | undefined;
      if (pids?.length !== n) return false;
    }
    return spec.ready ? await spec.ready() : true;
  } catch {
    return false; // Not up yet: the control endpoint is not bound, or the arbiter is still starting.
  }
}
