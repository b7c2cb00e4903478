import type { Arbiter, CircusConfig, CommandDefinition, ConfigSource, ExclusiveLock, Logger, ProcessTree } from '../../kernel';
import type { ProcessInfoSampler } from './process-info';

/**
 * What every built-in command may use. Built once by the commands plugin
 * from its container; commands hold no other state.
 */
export interface CommandDeps {
  readonly arbiter: Arbiter;
  readonly lock: ExclusiveLock;
  /** The configuration circusd started with (endpoints, endpoint_owner ...). */
  readonly config: CircusConfig;
  /** Re-reads the configuration file for `reloadconfig`; null when there is none. */
  readonly configSource: ConfigSource | null;
  readonly tree: ProcessTree;
  readonly processInfo: ProcessInfoSampler;
  readonly logger: Logger;
  /** The configuration last applied (startup, then every successful reloadconfig). */
  readonly applied: { config: CircusConfig };
}

/** Builds one command from the shared dependencies. */
export type CommandFactory = (deps: CommandDeps) => CommandDefinition;
