/**
 * Control endpoint round trips against the real circusd binary: `list`,
 * `status` and `stats` of a 200-process watcher through the protocol
 * client, beside a bare ZeroMQ ROUTER echo in the same run (the floor any
 * daemon speaking this protocol pays).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Router } from 'zeromq';
import { CircusClient } from '../protocol/client';

interface Figures {
  readonly median: number;
  readonly p90: number;
}

function figures(samples: number[]): Figures {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p90: s[Math.min(s.length - 1, Math.floor(s.length * 0.9))] };
}

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

async function timeCalls(client: CircusClient, n: number, command: string, props: Record<string, unknown> = {}): Promise<Figures> {
  const samples: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = process.hrtime.bigint();
    const reply = await client.call(command, props);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (reply.status === 'error') throw new Error(`${command}: ${String(reply.reason)}`);
  }
  return figures(samples);
}

/** A ROUTER that echoes every request back: the transport's own cost. */
async function bareEcho(n: number): Promise<Figures> {
  const port = await freePort();
  const router = new Router({ linger: 0 });
  await router.bind(`tcp://127.0.0.1:${port}`);
  const loop = (async () => {
    for await (const [id, body] of router) {
      const req = JSON.parse(body.toString()) as { id: unknown };
      await router.send([id, JSON.stringify({ status: 'ok', time: Date.now() / 1000, watchers: ['a'], id: req.id })]);
    }
  })();
  const client = new CircusClient({ endpoint: `tcp://127.0.0.1:${port}`, timeout: 10 });
  try {
    return await timeCalls(client, n, 'list');
  } finally {
    client.close();
    router.close();
    await loop.catch(() => undefined);
  }
}

async function waitReady(client: CircusClient, want: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const reply = await client.call('numprocesses', { name: 'many' });
      if (reply.numprocesses === want) {
        const pids = (await client.call('list', { name: 'many' })).pids as number[];
        if (pids.length === want) return;
      }
    } catch {
      // Not up yet.
    }
    if (Date.now() > deadline) throw new Error('circusd did not start its processes within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Prints control-endpoint latencies (ms) against circusd running 200 processes. */
export async function controlBench(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'circus-bench-control-'));
  const port = await freePort();
  const endpoint = `tcp://127.0.0.1:${port}`;
  const ini = path.join(dir, 'bench.ini');
  writeFileSync(
    ini,
    `[circus]\ncheck_delay = 5\nendpoint = ${endpoint}\npubsub_endpoint = ipc://${dir}/pub.sock\n\n` +
      `[watcher:many]\ncmd = /bin/sleep 10000\nnumprocesses = 200\ngraceful_timeout = 2\n\n` +
      `[watcher:small]\ncmd = /bin/sleep 10000\nnumprocesses = 2\ngraceful_timeout = 2\n`,
  );
  const daemon = spawn(process.execPath, [path.join(__dirname, '..', 'cli', 'circusd.js'), ini], { stdio: 'ignore' });
  const exited = new Promise((r) => daemon.once('exit', r));
  const client = new CircusClient({ endpoint, timeout: 30 });
  try {
    await waitReady(client, 200);
    const bare = await bareEcho(500);
    const list = await timeCalls(client, 500, 'list');
    const status = await timeCalls(client, 200, 'status');
    const stats = await timeCalls(client, 20, 'stats', { name: 'many' });
    const f = (x: Figures): string => `median ${x.median.toFixed(3)} p90 ${x.p90.toFixed(3)}`;
    console.log(
      `control endpoint round trips (ms) with 202 processes: list ${f(list)}; status ${f(status)}; ` +
        `bare ROUTER echo ${f(bare)}; list/bare ratio of medians ${(list.median / bare.median).toFixed(2)}; ` +
        `stats of a 200-process watcher ${f(stats)} (issue #7 target < 20 ms; Circus 473 ms)`,
    );
    await client.call('quit', { waiting: true }).catch(() => undefined);
  } finally {
    client.close();
    const timer = setTimeout(() => daemon.kill('SIGKILL'), 15_000);
    if (daemon.exitCode === null) daemon.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  controlBench().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
