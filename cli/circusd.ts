#!/usr/bin/env node
/**
 * The circusd program: runs the start-up sequence and turns its result into
 * the process exit status. Everything else lives in cli/circusd/.
 */
import { realSeams } from './circusd/real-seams';
import { runCircusd } from './circusd/run';

const io = {
  out: (text: string): void => {
    process.stdout.write(text);
  },
  err: (text: string): void => {
    process.stderr.write(text);
  },
};

// What `ps` shows, as Circus's setproctitle does.
process.title = 'circusd';

runCircusd(process.argv.slice(2), realSeams, io, { script: __filename })
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(`circusd: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
