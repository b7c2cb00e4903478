/**
 * The stats sampler's cost (issue #7), against the real circusd binary:
 * daemon CPU over 30 s with 1000 idle children (`sleep`) with statsd on
 * (a SUB socket connected to the stats endpoint) beside the same with
 * statsd off, in the same run; and the `stats` command for a 200-process
 * watcher. Targets: the sampler adds under 5 % of one core; `stats` of
 * 200 processes answers in under 20 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Subscriber } from 'zeromq';
import { CircusClient } from '../protocol/client';

const CLK_TCK = 100;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** utime + stime of a pid, in seconds. */
function cpuSeconds(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
}

interface Daemon {
  readonly child: ChildProcess;
  readonly client: CircusClient;
  readonly dir: string;
  stop(): Promise<void>;
}

async function startDaemon(watcher: string, n: number, statsd: boolean): Promise<Daemon> {
  const dir = mkdtempSync(path.join(tmpdir(), 'circus-bench-stats-'));
  const endpoint = `tcp://127.0.0.1:${await freePort()}`;
  const ini = path.join(dir, 'bench.ini');
  writeFileSync(
    ini,
    `[circus]\ncheck_delay = 5\nendpoint = ${endpoint}\npubsub_endpoint = ipc://${dir}/pub.sock\n` +
      `statsd = ${statsd}\nstats_endpoint = ipc://${dir}/stats.sock\n\n` +
      `[watcher:${watcher}]\ncmd = /bin/sleep 100000\nnumprocesses = ${n}\ngraceful_timeout = 2\n`,
  );
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'cli', 'circusd.js'), ini], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  const client = new CircusClient({ endpoint, timeout: 60 });
  const stop = async (): Promise<void> => {
    await client.call('quit', { waiting: true }).catch(() => undefined);
    client.close();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const pids = (await client.call('list', { name: watcher })).pids as number[] | undefined;
      if (pids && pids.length === n) break;
    } catch {
      // Not up yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`circusd did not start ${n} processes within 120 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, client, dir, stop };
}

/** Daemon CPU (% of one core) over `seconds` with `n` idle children; with statsd a subscriber reads the stream. */
async function idleCpu(n: number, statsd: boolean, seconds: number): Promise<{ cpu: number; messages: number }> {
  const d = await startDaemon('idle', n, statsd);
  let sub: Subscriber | null = null;
  let messages = 0;
  let reading: Promise<void> = Promise.resolve();
  try {
    if (statsd) {
      const s = new Subscriber({ linger: 0 });
      sub = s;
      s.connect(`ipc://${d.dir}/stats.sock`);
      s.subscribe('stat.');
      reading = (async () => {
        try {
          for await (const _ of s) messages += 1;
        } catch {
          // Closed at the end of the measure.
        }
      })();
    }
    // Let the start-up settle (spawns, first samples) before measuring.
    await new Promise((r) => setTimeout(r, 3000));
    const c0 = cpuSeconds(d.child.pid as number);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const used = cpuSeconds(d.child.pid as number) - c0;
    return { cpu: (used / ((Date.now() - t0) / 1000)) * 100, messages };
  } finally {
    sub?.close();
    await reading;
    await d.stop();
  }
}

/** Latency (ms) of `stats` for a 200-process watcher, statsd on (the streamer samples alongside). */
async function statsLatency(calls: number): Promise<{ p50: number; p99: number; max: number }> {
  const d = await startDaemon('many', 200, true);
  try {
    const samples: number[] = [];
    for (let i = 0; i < calls; i += 1) {
      const t0 = process.hrtime.bigint();
      const reply = await d.client.call('stats', { name: 'many' });
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (reply.status !== 'ok') throw new Error(`stats: ${String(reply.reason)}`);
    }
    const s = samples.sort((a, b) => a - b);
    return { p50: s[Math.floor(s.length / 2)], p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))], max: s[s.length - 1] };
  } finally {
    await d.stop();
  }
}

/** Prints the figures. */
export async function statsBench(seconds = 30): Promise<void> {
  const off = await idleCpu(1000, false, seconds);
  const on = await idleCpu(1000, true, seconds);
  const added = on.cpu - off.cpu;
  console.log(
    `stats sampler, daemon CPU over ${seconds} s with 1000 idle children: statsd off ${off.cpu.toFixed(2)} %, statsd on ${on.cpu.toFixed(2)} % ` +
      `(${on.messages} stat messages received); added ${added.toFixed(2)} % of one core (target < 5 %: ${added < 5 ? 'met' : 'MISSED'})`,
  );
  const lat = await statsLatency(50);
  console.log(`stats command of a 200-process watcher (50 calls, statsd on, ms): p50 ${lat.p50.toFixed(2)} p99 ${lat.p99.toFixed(2)} max ${lat.max.toFixed(2)} (target < 20 ms: ${lat.p50 < 20 ? 'met' : 'MISSED'})`);
}

if (require.main === module) {
  const seconds = Number(process.argv[2] ?? '30');
  statsBench(seconds).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
