/**
 * Kernel benchmarks, each beside a bare Node baseline measured in the same
 * run: respawn latency after kill -9, the time to spawn 200 processes, and
 * the CPU the daemon burns while a watcher crash-loops.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createArbiter, defaultCircusConfig } from '../kernel';
import { quantile } from './support/measure';

const SLEEP = ['/bin/sleep', '1000'];

/** Median and 90th percentile of samples (ms). */
export interface Stats {
  readonly median: number;
  readonly p90: number;
  readonly n: number;
}

function stats(samples: number[]): Stats {
  return { median: quantile(samples, 0.5), p90: quantile(samples, 0.9), n: samples.length };
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** kill -9 to the replacement's `spawn` event, through the kernel. */
export async function kernelRespawn(n: number): Promise<Stats> {
  const arbiter = createArbiter({
    config: defaultCircusConfig({
      check_delay: -1,
      // Every victim is killed right after it started: without this the
      // restart policy would (rightly) treat the run as a crash loop.
      watchers: [{ name: 'bench', cmd: SLEEP[0], args: SLEEP.slice(1), respawn_min_uptime: 0, graceful_timeout: 1 }],
    }),
  });
  await arbiter.start();
  const w = arbiter.getWatcher('bench');
  const samples: number[] = [];
  try {
    for (let i = 0; i < n; i += 1) {
      const [pid] = w.pids;
      const next = arbiter.bus.next('spawn');
      const t0 = process.hrtime.bigint();
      process.kill(pid, 'SIGKILL');
      await next;
      samples.push(ms(t0));
    }
  } finally {
    await arbiter.stop();
  }
  return stats(samples);
}

function bareSpawn(): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(SLEEP[0], SLEEP.slice(1), { stdio: 'ignore', detached: true });
    child.once('spawn', () => resolve(child));
    child.once('error', reject);
  });
}

/** The same measure with a bare loop: spawn the replacement from the exit handler. */
export async function bareRespawn(n: number): Promise<Stats> {
  const samples: number[] = [];
  let child = await bareSpawn();
  for (let i = 0; i < n; i += 1) {
    const t0 = process.hrtime.bigint();
    const replaced = new Promise<ChildProcess>((resolve, reject) => {
      child.once('exit', () => {
        bareSpawn().then(resolve, reject);
      });
    });
    child.kill('SIGKILL');
    child = await replaced;
    samples.push(ms(t0));
  }
  const last = child;
  await new Promise<void>((resolve) => {
    last.once('exit', () => resolve());
    last.kill('SIGKILL');
  });
  return stats(samples);
}

/** Time (ms) for a watcher of `n` processes to start, and to stop. */
export async function kernelSpawnMany(n: number): Promise<{ start: number; stop: number }> {
  const arbiter = createArbiter({
    config: defaultCircusConfig({
      check_delay: -1,
      watchers: [{ name: 'many', cmd: SLEEP[0], args: SLEEP.slice(1), numprocesses: n, graceful_timeout: 2 }],
    }),
  });
  const t0 = process.hrtime.bigint();
  await arbiter.start();
  const start = ms(t0);
  if (arbiter.getWatcher('many').pids.length !== n) throw new Error('not every process started');
  const t1 = process.hrtime.bigint();
  await arbiter.stop();
  return { start, stop: ms(t1) };
}

/** A bare sequential loop of `n` spawns (each awaited, as the watcher does). */
export async function bareSpawnMany(n: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  const children: ChildProcess[] = [];
  for (let i = 0; i < n; i += 1) children.push(await bareSpawn());
  const elapsed = ms(t0);
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          c.once('exit', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
  return elapsed;
}

/** CPU used by this process while a watcher of `/bin/false` crash-loops for `seconds`. */
export async function crashLoopCpu(seconds: number): Promise<{ cpuPercent: number; spawns: number }> {
  const arbiter = createArbiter({
    config: defaultCircusConfig({ check_delay: 5, watchers: [{ name: 'crash', cmd: '/bin/false' }] }),
  });
  let spawns = 0;
  arbiter.bus.on('spawn', () => {
    spawns += 1;
  });
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await arbiter.start();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const used = process.cpuUsage(cpu0);
  const wall = ms(t0) * 1000;
  await arbiter.stop();
  return { cpuPercent: ((used.user + used.system) / wall) * 100, spawns };
}
