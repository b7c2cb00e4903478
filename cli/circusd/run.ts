/**
 * The circusd start-up sequence (spec/daemon.md 7.1 steps 1-9): arguments,
 * daemonizing, config, logging, signals, umask, pidfile, then the arbiter
 * loop (a full restart builds a new arbiter from the file), and the clean
 * exit. Resolves with the exit status; the entry point calls process.exit.
 */
import * as fs from 'node:fs';
import type { CircusConfig } from '../../config/index';
import { CircusError, closeInheritedOnExec, type Logger } from '../../kernel/index';
import { exposureWarnings } from '../../protocol/endpoint-exposure';
import { configureLogging } from '../logging/configure';
import type { LogManager } from '../logging/log-manager';
import { parseCircusdArgs, type CircusdArgs } from './args';
import { DaemonReadiness, startDaemon } from './daemon';
import { CircusdError } from './errors';
import { Pidfile } from './pidfile';
import { printConfig } from './print-config';
import type { ArbiterHandle, CircusdSeams } from './seams';
import { installSignalHandlers } from './signals';
import { packageVersion } from './version';

/** Where circusd writes what does not go through the logger. */
export interface CircusdIO {
  out(text: string): void;
  err(text: string): void;
}

/** Options of {@link runCircusd}. */
export interface RunOptions {
  /** The script path used to re-spawn circusd for `--daemon`. */
  readonly script: string;
  /** The environment (the daemon readiness variable is taken from it). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Loads the config, turning a missing file and loader errors into one clear CircusdError. */
function load(seams: CircusdSeams, configPath: string): { config: CircusConfig; warnings: readonly string[] } {
  if (!fs.existsSync(configPath)) {
    throw new CircusdError('CIRCUSD_CONFIG_MISSING', `the configuration file '${configPath}' does not exist`);
  }
  try {
    return seams.loadConfig(configPath);
  } catch (error) {
    if (seams.isConfigError(error)) throw new CircusdError('CIRCUSD_CONFIG_INVALID', (error as Error).message);
    throw error;
  }
}

/** Expected failures (the kernel's and ours) by their message; anything else with its stack, to debug it. */
function describe(error: unknown): string {
  if (error instanceof CircusError) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** One circusd life once logging is up: signals, umask, pidfile, arbiter loop. */
class Supervisor {
  private arbiter: ArbiterHandle | null = null;
  private stopRequested = false;
  private failFatal: (error: unknown) => void = () => undefined;
  private readonly fatal: Promise<never>;

  constructor(
    private readonly seams: CircusdSeams,
    private readonly logs: LogManager,
    private readonly logger: Logger,
    private readonly configPath: string,
  ) {
    this.fatal = new Promise<never>((_, reject) => {
      this.failFatal = reject;
    });
    // Observed by the race in run(); this only keeps Node from reporting it twice.
    this.fatal.catch(() => undefined);
  }

  /** Reports an unexpected error: the running arbiter is emergency-stopped and circusd exits 1. */
  fail(error: unknown): void {
    this.failFatal(error);
  }

  stop(): void {
    this.stopRequested = true;
    this.arbiter?.requestStop();
  }

  reload(): void {
    this.logs.reopen('circus');
    const arbiter = this.arbiter;
    if (!arbiter) return;
    arbiter.reload().catch((error: unknown) => this.logger.error(`reload failed: ${describe(error)}`));
  }

  private async emergencyStop(arbiter: ArbiterHandle): Promise<void> {
    try {
      await arbiter.emergencyStop();
    } catch (stopError) {
      this.logger.critical(`emergency stop failed: ${describe(stopError)}`);
    }
  }

  /** Runs arbiters until a quit; resolves with the exit status. */
  async run(first: CircusConfig, onReady: () => void): Promise<number> {
    let config = first;
    let readySent = false;
    for (;;) {
      if (this.stopRequested) return 0;
      // Every start, a full restart's too: its config may bind other endpoints.
      for (const warning of exposureWarnings(config)) this.logger.warning(warning);
      const arbiter = this.seams.createArbiter({ config, logger: this.logger, configPath: this.configPath });
      this.arbiter = arbiter;
      let outcome: 'quit' | 'restart';
      try {
        await Promise.race([arbiter.start(), this.fatal]);
        if (this.stopRequested) arbiter.requestStop();
        if (!readySent) {
          readySent = true;
          onReady();
        }
        outcome = await Promise.race([arbiter.done, this.fatal]);
      } catch (error) {
        if (error instanceof CircusError && !(error instanceof CircusdError)) {
          // An expected start failure (a socket that cannot be bound, ...):
          // the kernel's message names the socket or watcher at fault.
          this.logger.error(`could not start: ${error.message}`);
          await this.emergencyStop(arbiter);
          throw new CircusdError('CIRCUSD_START_FAILED', error.message);
        }
        this.logger.critical(`unexpected error, stopping everything: ${describe(error)}`);
        await this.emergencyStop(arbiter);
        throw new CircusdError('CIRCUSD_INTERNAL', `circusd stopped after an unexpected error: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        this.arbiter = null;
      }
      if (outcome === 'quit') return 0;
      // Full restart (7.4.2): every option, socket, watcher and plugin is re-read.
      config = load(this.seams, this.configPath).config;
    }
  }
}

async function runForeground(args: CircusdArgs & { config: string }, seams: CircusdSeams, io: CircusdIO, readiness: DaemonReadiness): Promise<number> {
  const { config, warnings } = load(seams, args.config);
  const logs = await configureLogging({
    level: args.logLevel ?? config.loglevel,
    output: args.logOutput ?? config.logoutput,
    loggerConfig: args.loggerConfig ?? config.loggerconfig,
  });
  const logger = logs.getLogger('circus');
  const inherited = closeInheritedOnExec();
  if (inherited.length > 0) logger.debug(`inherited descriptors ${inherited.join(', ')} marked close-on-exec: no worker gets them`);
  const supervisor = new Supervisor(seams, logs, logger, args.config);
  const onUnexpected = (error: unknown): void => supervisor.fail(error);
  let removeSignals: () => void = () => undefined;
  let pidfile: Pidfile | null = null;
  process.on('uncaughtException', onUnexpected);
  process.on('unhandledRejection', onUnexpected);
  try {
    for (const warning of warnings) logger.warning(warning);
    logger.info('Registering signals...');
    removeSignals = installSignalHandlers(logger, { stop: () => supervisor.stop(), reload: () => supervisor.reload() });
    // Before the pidfile, so the umask applies to everything circusd creates from here on.
    if (config.umask !== null) process.umask(config.umask);
    const pidPath = args.pidfile ?? config.pidfile;
    if (pidPath) {
      pidfile = new Pidfile(pidPath);
      pidfile.create(process.pid);
    }
    return await supervisor.run(config, () => readiness.ready());
  } finally {
    removeSignals();
    if (pidfile) {
      const problem = pidfile.unlink();
      if (problem) logger.warning(problem);
    }
    process.removeListener('uncaughtException', onUnexpected);
    process.removeListener('unhandledRejection', onUnexpected);
    await logs.close();
  }
}

/**
 * Runs circusd with the user arguments `argv` (without node and the script).
 * Every expected failure ends as a message (no stack trace) and a status:
 * 0 success, 1 failure, 2 usage error.
 */
export async function runCircusd(argv: readonly string[], seams: CircusdSeams, io: CircusdIO, options: RunOptions): Promise<number> {
  const outcome = parseCircusdArgs(argv, packageVersion(), io);
  if (outcome.kind === 'exit') return outcome.code;
  const args = outcome.args as CircusdArgs & { config: string };
  const readiness = DaemonReadiness.fromEnv(options.env ?? process.env);
  try {
    if (args.printConfig) return printConfig(args.config, seams, io, (p) => load(seams, p));
    if (args.daemon) {
      // Checked here too so the common mistake is reported at once by the parent.
      if (!fs.existsSync(args.config)) {
        throw new CircusdError('CIRCUSD_CONFIG_MISSING', `the configuration file '${args.config}' does not exist`);
      }
      return await startDaemon(args, { script: options.script }, io);
    }
    return await runForeground(args, seams, io, readiness);
  } catch (error) {
    const failure =
      error instanceof CircusdError
        ? error
        : new CircusdError('CIRCUSD_INTERNAL', `unexpected error: ${describe(error)}`);
    const text = failure.code === 'CIRCUSD_CONFIG_INVALID' || failure.stdout ? failure.message : `circusd: ${failure.message}`;
    (failure.stdout ? io.out : io.err)(`${text}\n`);
    readiness.fail(text, failure.exitCode, failure.stdout);
    return failure.exitCode;
  }
}
