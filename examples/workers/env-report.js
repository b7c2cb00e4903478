#!/usr/bin/env node
'use strict';
// Prints the environment variables named on the command line (so the env
// examples show what a watcher receives), then stays alive until stopped.
for (const key of process.argv.slice(2)) {
  const value = process.env[key];
  process.stdout.write(`${key}=${value === undefined ? '(unset)' : value}\n`);
}
const keepAlive = setInterval(() => {}, 60_000);
process.on('SIGTERM', () => {
  clearInterval(keepAlive);
  process.exit(0);
});
