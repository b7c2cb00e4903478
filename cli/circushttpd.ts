#!/usr/bin/env node
/**
 * The circushttpd program: the web panel over one or several circusd, and
 * `circushttpd hash-password`. Everything else lives in cli/circushttpd/.
 */
import { runCircushttpd } from './circushttpd/run';

let requestStop: () => void = () => undefined;
const stopRequested = new Promise<void>((resolve) => {
  requestStop = resolve;
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => requestStop());

runCircushttpd(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stdin: process.stdin,
  env: process.env,
  stopRequested,
})
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(`circushttpd: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
