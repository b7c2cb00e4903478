#!/usr/bin/env node
/**
 * The circus-top program (spec/protocol.md 5.3): a live view of the
 * `stat.*` samples. Everything else lives in cli/circus-top/.
 */
import { runCircusTop } from './circus-top/run';

let requestStop: () => void = () => undefined;
const stopRequested = new Promise<void>((resolve) => {
  requestStop = resolve;
});
// Ctrl-C arrives as a key while the terminal is raw; these cover kill and a lost terminal.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => requestStop());

runCircusTop(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stopRequested,
})
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(`circus-top: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
