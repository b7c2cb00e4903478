#!/usr/bin/env node
/**
 * The circus-plugin program (spec/daemon.md 6.14): runs one plugin against
 * a running circusd until SIGINT or SIGTERM. Everything else lives in
 * cli/circus-plugin/.
 */
import { runCircusPlugin } from './circus-plugin/run';

let requestStop: () => void = () => undefined;
const stopRequested = new Promise<void>((resolve) => {
  requestStop = resolve;
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => requestStop());

runCircusPlugin(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stopRequested,
})
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(`circus-plugin: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
