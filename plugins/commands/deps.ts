import type { Arbiter, CircusConfig, CommandDefinition, ConfigSource, ExclusiveLock, Logger, ProcessSampler, ProcessTree } from '../../kernel';

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
  /** The shared sampler (also the stats streamer's): one CPU baseline per pid. */
  readonly processInfo: ProcessSampler;
  readonly logger: Logger;
  /** The configuration last applied (startup, then every successful reloadconfig). */
  readonly applied: { config: CircusConfig };
}

/** Builds one command from the shared dependencies. */
export type CommandFactory = (deps: CommandDeps) => CommandDefinition;
