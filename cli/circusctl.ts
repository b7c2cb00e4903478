#!/usr/bin/env node
/**
 * The circusctl program: drives a Circus daemon over its control endpoint.
 * OS signals, argv and the exit status live here; everything else is in
 * cli/circusctl/.
 */
import { runCircusctl } from './circusctl/run';

const interrupt = new AbortController();
process.on('SIGINT', () => interrupt.abort());

runCircusctl(process.argv.slice(2), {
  io: {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    stdoutIsTTY: process.stdout.isTTY === true,
    stdinIsTTY: process.stdin.isTTY === true,
  },
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  interrupt: interrupt.signal,
})
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(`circusctl: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
