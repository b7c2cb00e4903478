/**
 * circus-top (spec/protocol.md 5.3): subscribes to `stat.` on the stats
 * endpoint and repaints the view when samples arrive (at most every
 * 200 ms) and every second (so stale rows go away), until q or Ctrl-C.
 */
import type { Terminal } from 'terminal-kit';
import { decodeStat, STATS_TOPIC_PREFIX } from '../../protocol/stats-topics';
import type { ClientCurve } from '../../protocol/curve';
import { CircusSubscriber } from '../../protocol/subscriber';
import { resolveClientCurve } from '../shared/client-curve';
import { openSshTunnel, type SshTunnel } from '../circusctl/ssh-tunnel';
import { packageVersion } from '../circusd/version';
import { parseCircusTopArgs, TOP_HELP, TOP_USAGE, TopArgsError } from './args';
import { renderTop } from './render';
import { TopScreen } from './screen';
import { StatsModel } from './stats-model';

/** Where circus-top writes, and how it learns to stop from outside (SIGTERM). */
export interface CircusTopIO {
  out(text: string): void;
  err(text: string): void;
  readonly stopRequested: Promise<void>;
  /** Where $CIRCUS_CLIENT_KEY / $CIRCUS_SERVER_KEY are read; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

const REPAINT_MS = 1000;
const DATA_REPAINT_MS = 200;

/** Runs circus-top; resolves with the exit status once the terminal is restored. */
export async function runCircusTop(argv: readonly string[], io: CircusTopIO): Promise<number> {
  let args;
  try {
    args = parseCircusTopArgs(argv);
  } catch (err) {
    if (!(err instanceof TopArgsError)) throw err;
    io.err(`${TOP_USAGE}circus-top: error: ${err.message}\n`);
    return 2;
  }
  if (args.help) {
    io.out(TOP_HELP);
    return 0;
  }
  if (args.version) {
    io.out(`${packageVersion()}\n`);
    return 0;
  }
  let curve: ClientCurve | undefined;
  try {
    curve = resolveClientCurve(args, io.env ?? process.env);
  } catch (err) {
    io.err(`circus-top: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  let tunnel: SshTunnel | null = null;
  let endpoint = args.endpoint;
  if (args.ssh !== null) {
    try {
      tunnel = await openSshTunnel({ server: args.ssh, keyfile: null, endpoint, waitMs: 10_000, interactive: process.stdin.isTTY === true });
    } catch (err) {
      io.err(`circus-top: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    endpoint = tunnel.endpoint;
  }
  const subscriber = new CircusSubscriber({ endpoint, topics: [STATS_TOPIC_PREFIX], curve });
  try {
    subscriber.connect();
  } catch (err) {
    subscriber.close();
    await tunnel?.close();
    io.err(`circus-top: cannot subscribe to ${endpoint}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  try {
    await show(subscriber, new StatsModel(args.processTimeout * 1000), io);
  } finally {
    subscriber.close();
    await tunnel?.close();
  }
  return 0;
}

async function show(subscriber: CircusSubscriber, model: StatsModel, io: CircusTopIO): Promise<void> {
  // Loaded here so --help and --version never touch the terminal.
  const { terminal } = (await import('terminal-kit')) as { terminal: Terminal };
  const screen = new TopScreen(terminal);
  let quit: () => void = () => undefined;
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  const paint = (): void => screen.draw(renderTop(model.view(Date.now())));
  let pending: NodeJS.Timeout | undefined;
  const timer = setInterval(paint, REPAINT_MS);
  screen.start(quit);
  try {
    paint();
    const receiving = (async () => {
      for await (const [topic, body] of subscriber) {
        const frame = decodeStat(topic, body);
        if (frame === null) continue;
        model.add(frame, Date.now());
        pending ??= setTimeout(() => {
          pending = undefined;
          paint();
        }, DATA_REPAINT_MS);
      }
    })();
    // A receive failure is shown after the terminal is restored, not swallowed.
    const failed = receiving.then(
      () => null,
      (err: unknown) => err,
    );
    const outcome = await Promise.race([quitting.then(() => null), io.stopRequested.then(() => null), failed]);
    if (outcome !== null) io.err(`circus-top: receiving stats failed: ${outcome instanceof Error ? outcome.message : String(outcome)}\n`);
  } finally {
    clearInterval(timer);
    if (pending !== undefined) clearTimeout(pending);
    screen.close();
  }
}
