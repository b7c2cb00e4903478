/**
 * The stats sampler's cost (issue #7), against the real circusd binary:
 * daemon CPU over 30 s with 1000 idle children (`sleep`) with statsd on
 * (a SUB socket connected to the stats endpoint) beside the same with
 * statsd off, in the same run; and the `stats` command for a 200-process
 * watcher. Targets: the sampler adds under 5 % of one core; `stats` of
 * 200 processes answers in under 20 ms.
 */
import { Subscriber } from 'zeromq';
import { startBenchDaemon, type BenchDaemon } from './support/circusd';
import { cpuSeconds, sleep, timeCalls } from './support/measure';

function startDaemon(watcher: string, n: number, statsd: boolean): Promise<BenchDaemon> {
  return startBenchDaemon({
    label: 'stats',
    watchers: { [watcher]: n },
    circus: (dir) => `statsd = ${statsd}\nstats_endpoint = ipc://${dir}/stats.sock\n`,
  });
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
    await sleep(3000);
    const c0 = cpuSeconds(d.pid);
    const t0 = Date.now();
    await sleep(seconds * 1000);
    const used = cpuSeconds(d.pid) - c0;
    return { cpu: (used / ((Date.now() - t0) / 1000)) * 100, messages };
  } finally {
    sub?.close();
    await reading;
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
  // Latency of `stats` for a 200-process watcher, statsd on (the streamer samples alongside).
  const d = await startDaemon('many', 200, true);
  try {
    const lat = await timeCalls(d.client, 50, 'stats', { name: 'many' });
    console.log(
      `stats command of a 200-process watcher (50 calls, statsd on, ms): p50 ${lat.median.toFixed(2)} p99 ${lat.p99.toFixed(2)} max ${lat.max.toFixed(2)} ` +
        `(target < 20 ms: ${lat.median < 20 ? 'met' : 'MISSED'})`,
    );
  } finally {
    await d.stop();
  }
}

if (require.main === module) {
  const seconds = Number(process.argv[2] ?? '30');
  statsBench(seconds).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
