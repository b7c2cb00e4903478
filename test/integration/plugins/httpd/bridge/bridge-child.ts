/**
 * Runs a DaemonBridge in a process of its own for the "no socket left"
 * test: start, wait (bounded) for the wanted messages, stop, print what was
 * seen, and then end by itself. It never calls process.exit, so the
 * process ends only if stop() left no socket, timer or loop running.
 *
 * Usage: node bridge-child.js <endpoint> <wait: live|down>
 */
import { NullLogger } from '../../../../../kernel/index';
import { DaemonBridge } from '../../../../../plugins/httpd/bridge/index';

async function main(): Promise<void> {
  const [endpoint, mode] = process.argv.slice(2);
  const bridge = new DaemonBridge({ id: 'child', label: 'child', endpoint, timeout: 1 }, new NullLogger());
  const seen = new Set<string>();
  bridge.onMessage((m) => seen.add(m.type));
  await bridge.start();
  const deadline = Date.now() + 20_000;
  const done = (): boolean =>
    mode === 'live' ? bridge.info().connected && seen.has('state') && seen.has('stats') : seen.has('daemon');
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await bridge.stop();
  process.stdout.write(`${JSON.stringify({ info: bridge.info(), seen: [...seen].sort() })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
