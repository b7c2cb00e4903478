/**
 * The faces of the config loader and the kernel that circusd drives, as
 * circusd needs them. The entry point (cli/circusd.ts) binds them to the real
 * config/ and kernel/ modules; keeping them as one interface makes the
 * start-up sequence readable in one place.
 */
import type { CircusConfig } from '../../config/index';
import type { Logger } from '../../kernel/index';

/** How an arbiter ended: a quit, or a full restart asking for a fresh one built from the file. */
export type ArbiterOutcome = 'quit' | 'restart';

/** The arbiter as circusd drives it. */
export interface ArbiterHandle {
  /** Starts sockets, plugins and watchers; resolves once the arbiter waits for commands. */
  start(): Promise<void>;
  /** Graceful reload of every watcher (SIGHUP). */
  reload(): Promise<void>;
  /** Asks for a graceful quit, retried while another exclusive operation runs (quirk Q38 fixed). */
  requestStop(): void;
  /** Stops everything at once (graceful timeouts ignored) after an unexpected error. */
  emergencyStop(): Promise<void>;
  /** Settles when the arbiter has completely stopped. */
  readonly done: Promise<ArbiterOutcome>;
}

/** The config loader and the kernel factory. */
export interface CircusdSeams {
  /** Loads the file; throws the loader's error (its message lists every problem). */
  loadConfig(configPath: string): { config: CircusConfig; warnings: readonly string[] };
  /** The warnings building watchers/sockets/plugins would log (used by `--print-config`). */
  constructionWarnings(config: CircusConfig, configPath: string): readonly string[];
  /** The JSON text `--print-config` prints. */
  formatConfig(config: CircusConfig): string;
  /** Builds an arbiter (no I/O until `start`). */
  createArbiter(options: { config: CircusConfig; logger: Logger; configPath: string }): ArbiterHandle;
  /** Whether `error` is the loader's error (printed as is, without a stack trace). */
  isConfigError(error: unknown): boolean;
}
