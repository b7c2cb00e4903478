/**
 * Control endpoint round trips against the real circusd binary with 200
 * processes: 2000 sequential `status`, `list` and `list <200-process
 * watcher>` through the protocol client, beside a bare ZeroMQ ROUTER echo
 * run as its own process in the same run (the floor any daemon speaking
 * this protocol over loopback pays). Targets (issue #5): status p50 within
 * 3x of the echo, p99 under 5 ms; list of the 200-process watcher p50 under
 * 1 ms.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CircusClient } from '../protocol/client';

interface Figures {
  readonly median: number;
  readonly p99: number;
}

function figures(samples: number[]): Figures {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] };
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

/** The echo server: a ROUTER answering every request with a fixed ok reply. */
const ECHO_SOURCE = `
const { Router } = require('zeromq');
(async () => {
  const router = new Router({ linger: 0 });
  await router.bind(process.argv[1]);
  process.send('ready');
  for await (const [id, body] of router) {
    const req = JSON.parse(body.toString());
    await router.send([id, JSON.stringify({ status: 'ok', time: Date.now() / 1000, watchers: ['a'], id: req.id })]);
  }
})();
`;

/** A bare ROUTER echo in its own process, as circusd is: the transport's own cost. */
async function bareEcho(n: number): Promise<Figures> {
  const port = await freePort();
  const endpoint = `tcp://127.0.0.1:${port}`;
  // Resolved from the repo's node_modules: the child runs with this cwd.
  const echo = spawn(process.execPath, ['-e', ECHO_SOURCE, endpoint], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], cwd: path.join(__dirname, '..', '..') });
  await new Promise<void>((resolve, reject) => {
    echo.once('message', () => resolve());
    echo.once('exit', (code) => reject(new Error(`echo server exited ${String(code)}`)));
  });
  const client = new CircusClient({ endpoint, timeout: 10 });
  try {
    return await timeCalls(client, n, 'list');
  } finally {
    client.close();
    echo.kill('SIGKILL');
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
    const n = 2000;
    const bare = await bareEcho(n);
    const status = await timeCalls(client, n, 'status');
    const list = await timeCalls(client, n, 'list');
    const listMany = await timeCalls(client, n, 'list', { name: 'many' });
    const stats = await timeCalls(client, 20, 'stats', { name: 'many' });
    const f = (x: Figures): string => `p50 ${x.median.toFixed(3)} p99 ${x.p99.toFixed(3)}`;
    const ratio = status.median / bare.median;
    console.log(
      `control endpoint, ${n} sequential round trips each (ms) with 202 processes: status ${f(status)}; list ${f(list)}; ` +
        `list of the 200-process watcher ${f(listMany)}; bare ROUTER echo (own process) ${f(bare)}; ` +
        `status/echo p50 ratio ${ratio.toFixed(2)} (target <= 3: ${ratio <= 3 ? 'met' : 'MISSED'}), status p99 < 5 ms: ${status.p99 < 5 ? 'met' : 'MISSED'}, ` +
        `list-200 p50 < 1 ms: ${listMany.median < 1 ? 'met' : 'MISSED'}; stats of the 200-process watcher (20 calls) ${f(stats)} (issue #7 target < 20 ms)`,
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
