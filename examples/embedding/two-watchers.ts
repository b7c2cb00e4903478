/**
 * Embedding example: an arbiter with two watchers built from code (no INI
 * file). It starts them, waits until both run, prints their pids as one
 * JSON line, then stops everything. Run after `npm run build`:
 *
 *   node build/examples/embedding/two-watchers.js
 */
import { createArbiter, defaultCircusConfig, Logger } from '../../kernel';

/** Kernel log lines go to stderr, so stdout carries only the JSON result. */
const logger: Logger = {
  name: 'circus',
  debug: () => undefined,
  info: (m) => process.stderr.write(`[INFO] ${m}\n`),
  warning: (m) => process.stderr.write(`[WARNING] ${m}\n`),
  error: (m) => process.stderr.write(`[ERROR] ${m}\n`),
  critical: (m) => process.stderr.write(`[CRITICAL] ${m}\n`),
  child: () => logger,
};

async function main(): Promise<void> {
  // A tiny program that stays alive until signalled.
  const idle = ['-e', 'setInterval(() => {}, 1 << 30)'];
  const arbiter = createArbiter({
    config: defaultCircusConfig({
      check_delay: -1,
      watchers: [
        { name: 'web', cmd: process.execPath, args: idle, numprocesses: 2, graceful_timeout: 2 },
        { name: 'worker', cmd: process.execPath, args: idle, priority: 5, graceful_timeout: 2 },
      ],
    }),
    logger,
  });
  await arbiter.start();
  const pids: Record<string, readonly number[]> = {};
  for (const w of arbiter.watchers) pids[w.name] = w.pids;
  process.stdout.write(`${JSON.stringify(pids)}\n`);
  await arbiter.stop();
  process.stdout.write(`${JSON.stringify({ outcome: await arbiter.done })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
