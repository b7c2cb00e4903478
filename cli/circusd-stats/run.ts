/**
 * circusd-stats (spec/protocol.md 5.1): the stats streamer as its own
 * process against a running circusd, until SIGINT or SIGTERM.
 */
import { errorMessage } from '../../kernel/index';
import { openSshTunnel, type SshTunnel } from '../circusctl/ssh-tunnel';
import { packageVersion } from '../circusd/version';
import { resolveClientCurve } from '../shared/client-curve';
import { configureLogging } from '../logging/configure';
import { parseCircusdStatsArgs, STATS_HELP, STATS_USAGE, StatsArgsError } from './args';
import { StatsStreamer } from './streamer';

/** Where circusd-stats writes what does not go through the logger, and how it learns to stop. */
export interface CircusdStatsIO {
  out(text: string): void;
  err(text: string): void;
  readonly stopRequested: Promise<void>;
  /** Where $CIRCUS_CLIENT_KEY / $CIRCUS_SERVER_KEY are read; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs circusd-stats; resolves with the exit status. */
export async function runCircusdStats(argv: readonly string[], io: CircusdStatsIO): Promise<number> {
  let args;
  try {
    args = parseCircusdStatsArgs(argv);
  } catch (err) {
    if (!(err instanceof StatsArgsError)) throw err;
    io.err(`${STATS_USAGE}circusd-stats: error: ${err.message}\n`);
    return 2;
  }
  if (args.help) {
    io.out(STATS_HELP);
    return 0;
  }
  if (args.version) {
    io.out(`${packageVersion()}\n`);
    return 0;
  }
  let curve;
  try {
    curve = resolveClientCurve(args, io.env ?? process.env);
  } catch (err) {
    io.err(`circusd-stats: ${errorMessage(err)}\n`);
    return 1;
  }
  const logs = await configureLogging({ level: args.logLevel, output: args.logOutput });
  const logger = logs.getLogger('circus');
  const tunnels: SshTunnel[] = [];
  let streamer: StatsStreamer | null = null;
  try {
    let { endpoint, pubsub } = args;
    if (args.ssh !== null) {
      // Both circusd endpoints go through ssh; the stats endpoint is bound here, locally.
      for (const remote of [endpoint, pubsub]) {
        tunnels.push(await openSshTunnel({ server: args.ssh, keyfile: null, endpoint: remote, waitMs: 10_000, interactive: false }));
      }
      [endpoint, pubsub] = tunnels.map((t) => t.endpoint);
    }
    logger.info(`Starting the stats streamer: endpoint ${endpoint}, pub/sub ${pubsub}, stats ${args.statspoint}`);
    streamer = new StatsStreamer({ endpoint, pubsub, statspoint: args.statspoint, logger, curve });
    await streamer.start();
    await io.stopRequested;
    logger.info('Stopping the stats streamer');
    return 0;
  } catch (err) {
    logger.error(`circusd-stats failed: ${errorMessage(err)}`);
    io.err(`circusd-stats: ${errorMessage(err)}\n`);
    return 1;
  } finally {
    await streamer?.stop();
    for (const tunnel of tunnels) await tunnel.close();
    await logs.close();
  }
}
