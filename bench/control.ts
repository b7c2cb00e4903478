/**
 * Control endpoint round trips against the real circusd binary with 200
 * processes: 2000 sequential `status`, `list` and `list <200-process
 * watcher>` through the protocol client, beside a bare ZeroMQ ROUTER echo
 * run as its own process in the same run (the floor any daemon speaking
 * this protocol over loopback pays). Targets (issue #5): status p50 within
 * 3x of the echo, p99 under 5 ms; list of the 200-process watcher p50 under
 * 1 ms. Then the same `status` round trips against a circusd whose endpoints
 * speak CURVE (issue #9), to show what encryption and authentication cost.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CircusClient } from '../protocol/client';
import { writeKeyPair } from '../protocol/curve';
import { freePort } from '../test/support/free-port';
import { startBenchDaemon } from './support/circusd';
import { timeCalls, type Latency } from './support/measure';

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
async function bareEcho(n: number): Promise<Latency> {
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

/** Prints control-endpoint latencies (ms) against circusd running 200 processes. */
export async function controlBench(): Promise<void> {
  const d = await startBenchDaemon({ label: 'control', watchers: { many: 200, small: 2 }, clientTimeout: 30 });
  try {
    const n = 2000;
    const bare = await bareEcho(n);
    const status = await timeCalls(d.client, n, 'status');
    const list = await timeCalls(d.client, n, 'list');
    const listMany = await timeCalls(d.client, n, 'list', { name: 'many' });
    const stats = await timeCalls(d.client, 20, 'stats', { name: 'many' });
    const f = (x: Latency): string => `p50 ${x.median.toFixed(3)} p99 ${x.p99.toFixed(3)}`;
    const ratio = status.median / bare.median;
    console.log(
      `control endpoint, ${n} sequential round trips each (ms) with 202 processes: status ${f(status)}; list ${f(list)}; ` +
        `list of the 200-process watcher ${f(listMany)}; bare ROUTER echo (own process) ${f(bare)}; ` +
        `status/echo p50 ratio ${ratio.toFixed(2)} (target <= 3: ${ratio <= 3 ? 'met' : 'MISSED'}), status p99 < 5 ms: ${status.p99 < 5 ? 'met' : 'MISSED'}, ` +
        `list-200 p50 < 1 ms: ${listMany.median < 1 ? 'met' : 'MISSED'}; stats of the 200-process watcher (20 calls) ${f(stats)} (issue #7 target < 20 ms)`,
    );
  } finally {
    await d.stop();
  }
  await curveBench(2000);
}

/** `status` round trips with CURVE on (keys made in a temp dir), beside the same without it, alternated. */
async function curveBench(n: number): Promise<void> {
  const keys = mkdtempSync(path.join(tmpdir(), 'circus-bench-keys-'));
  try {
    const server = writeKeyPair(keys, 'server');
    const client = writeKeyPair(keys, 'client');
    const plain: Latency[] = [];
    const curve: Latency[] = [];
    for (let round = 0; round < 3; round += 1) {
      for (const secured of [false, true]) {
        const d = await startBenchDaemon({
          label: secured ? 'control-curve' : 'control-plain',
          watchers: { small: 2 },
          clientTimeout: 30,
          circus: () => (secured ? `curve_secret_key = ${server.secretFile}\ncurve_authorized_keys = ${client.publicFile}\n` : ''),
          curve: secured ? { serverKey: server.keys.publicKey, keys: client.keys } : undefined,
        });
        try {
          (secured ? curve : plain).push(await timeCalls(d.client, n, 'status'));
        } finally {
          await d.stop();
        }
      }
    }
    const med = (xs: Latency[], k: 'median' | 'p99'): number => xs.map((x) => x[k]).sort((a, b) => a - b)[1];
    console.log(
      `control endpoint with CURVE, ${n} sequential status round trips x 3 alternating rounds (ms, median of the rounds): ` +
        `CURVE p50 ${med(curve, 'median').toFixed(3)} p99 ${med(curve, 'p99').toFixed(3)}; plain p50 ${med(plain, 'median').toFixed(3)} ` +
        `p99 ${med(plain, 'p99').toFixed(3)}; CURVE/plain p50 ratio ${(med(curve, 'median') / med(plain, 'median')).toFixed(2)}`,
    );
  } finally {
    rmSync(keys, { recursive: true, force: true });
  }
}

if (require.main === module) {
  controlBench().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
