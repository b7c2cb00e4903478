#!/usr/bin/env node
'use strict';
// A long-running worker for the example configs: prints a heartbeat line
// every TICK_SECONDS (default 3) and exits cleanly on SIGTERM/SIGINT.
const name = process.argv[2] || 'ticker';
const seconds = Number(process.env.TICK_SECONDS || 3);
let count = 0;
const timer = setInterval(() => {
  count += 1;
  process.stdout.write(`${name} [pid ${process.pid}] tick ${count}\n`);
}, Math.max(0.1, seconds) * 1000);
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    clearInterval(timer);
    process.stdout.write(`${name} [pid ${process.pid}] got ${signal}, bye\n`);
    process.exit(0);
  });
}
process.stdout.write(`${name} [pid ${process.pid}] started\n`);
