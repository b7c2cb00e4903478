/**
 * `npm run bench`: runs the kernel benchmarks and prints the figures and
 * their ratios to the bare-Node baselines. Targets: respawn median < 5 ms;
 * 200 spawns within 1.5x of the bare loop.
 */
import { bareRespawn, bareSpawnMany, crashLoopCpu, kernelRespawn, kernelSpawnMany } from './respawn';
import { controlBench } from './control';
import { statsBench } from './stats';
import { streamsBench } from './streams';
import { panelBench } from './panel';
import { median } from './support/measure';

const fmt = (x: number): string => x.toFixed(2);

async function main(): Promise<void> {
  const n = 50;
  const bare = await bareRespawn(n);
  const kernel = await kernelRespawn(n);
  console.log(`respawn after kill -9 (N=${n}, ms): kernel median ${fmt(kernel.median)} p90 ${fmt(kernel.p90)}; bare node median ${fmt(bare.median)} p90 ${fmt(bare.p90)}; ratio of medians ${fmt(kernel.median / bare.median)}; target median < 5 ms: ${kernel.median < 5 ? 'met' : 'MISSED'}`);

  // Rounds alternate kernel and bare loop so machine noise hits both alike;
  // the medians are compared.
  const count = 200;
  const rounds = 5;
  const bareRuns: number[] = [];
  const kernelRuns: number[] = [];
  const stopRuns: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    bareRuns.push(await bareSpawnMany(count));
    const many = await kernelSpawnMany(count);
    kernelRuns.push(many.start);
    stopRuns.push(many.stop);
  }
  const ratio = median(kernelRuns) / median(bareRuns);
  console.log(`spawn ${count} processes (ms, median of ${rounds} alternating rounds): kernel ${fmt(median(kernelRuns))}; bare loop ${fmt(median(bareRuns))}; ratio ${fmt(ratio)}; target <= 1.5: ${ratio <= 1.5 ? 'met' : 'MISSED'}; kernel graceful stop of ${count}: ${fmt(median(stopRuns))} ms`);

  const seconds = 10;
  const loop = await crashLoopCpu(seconds);
  console.log(`crash-looping watcher over ${seconds} s: daemon CPU ${fmt(loop.cpuPercent)} %, ${loop.spawns} spawns`);
  await streamsBench();
  await controlBench();
  await statsBench();
  await panelBench();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
