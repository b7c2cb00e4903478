#!/usr/bin/env node
/**
 * The circusd-stats program (spec/protocol.md 5.1): publishes `stat.*`
 * samples of a running circusd. Everything else lives in cli/circusd-stats/.
 */
import { runCircusdStats } from './circusd-stats/run';

let requestStop: () => void = () => undefined;
const stopRequested = new Promise<void>((resolve) => {
  requestStop = resolve;
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => requestStop());

runCircusdStats(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stopRequested,
})
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(`circusd-stats: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
