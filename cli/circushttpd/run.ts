/**
 * circushttpd: the web panel as its own process over one or several
 * circusd control endpoints (a fleet view, each daemon a section of the
 * page), until SIGINT or SIGTERM. Every daemon is followed by a
 * DaemonBridge speaking the Circus wire, so a Python circusd works too.
 */
import { errorMessage } from '../../kernel/index';
import { DaemonBridge } from '../../plugins/httpd/bridge/index';
import { PanelServer } from '../../plugins/httpd/index';
import type { ClientCurve } from '../../protocol/curve';
import { packageVersion } from '../circusd/version';
import { resolveClientCurve } from '../shared/client-curve';
import { configureLogging } from '../logging/configure';
import { parseCircushttpdArgs } from './args';
import { type PasswordSource, runHashPassword } from './hash-password';

/** Where circushttpd writes what does not go through the logger, what it reads, and how it learns to stop. */
export interface CircushttpdIO {
  out(text: string): void;
  err(text: string): void;
  readonly stdin: PasswordSource;
  readonly env: NodeJS.ProcessEnv;
  readonly stopRequested: Promise<void>;
}

/** Runs circushttpd; resolves with the exit status. */
export async function runCircushttpd(argv: readonly string[], io: CircushttpdIO): Promise<number> {
  const outcome = parseCircushttpdArgs(argv, packageVersion(), io, io.env);
  if (outcome.kind === 'exit') return outcome.code;
  if (outcome.kind === 'hash-password') return runHashPassword(io);
  const args = outcome.args;
  let curves: (ClientCurve | undefined)[];
  try {
    // One --server-key serves every daemon; several go by rank (the parser checked the count).
    curves = args.daemons.map((_, i) =>
      resolveClientCurve({ clientKey: args.clientKey, serverKey: args.serverKeys[i] ?? args.serverKeys[0] ?? null }, io.env),
    );
  } catch (err) {
    io.err(`circushttpd: ${errorMessage(err)}\n`);
    return 1;
  }
  const logs = await configureLogging({ level: args.logLevel, output: args.logOutput });
  const logger = logs.getLogger('circushttpd');
  const bridges = args.daemons.map(
    (d, i) =>
      new DaemonBridge({ id: d.id, label: d.label, endpoint: d.endpoint, timeout: args.timeout, curve: curves[i] }, logger.child(`bridge.${d.id}`)),
  );
  let server: PanelServer | null = null;
  try {
    server = new PanelServer(
      {
        daemons: bridges,
        passwordHash: args.passwordHash,
        host: args.host,
        allowedHosts: args.allowedHosts,
        secureCookie: args.secureCookie,
      },
      logger,
    );
    // A daemon that is down neither stops nor delays the panel (its section says so and its bridge
    // retries), nor a stop: the bridges' first attempts are not awaited. start() never rejects.
    for (const bridge of bridges) void bridge.start();
    await server.listen({ host: args.host, port: args.port });
    await io.stopRequested;
    logger.info('Stopping the web panel');
    return 0;
  } catch (err) {
    logger.error(`circushttpd failed: ${errorMessage(err)}`);
    io.err(`circushttpd: ${errorMessage(err)}\n`);
    return 1;
  } finally {
    await server?.close();
    await Promise.all(bridges.map((b) => b.stop()));
    await logs.close();
  }
}
