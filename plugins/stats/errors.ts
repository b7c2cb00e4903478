import { CircusError } from '../../kernel/index';

/**
 * The stats endpoint cannot be served: `[circus] stats_endpoint` cannot be
 * bound (port in use, missing directory) or its ipc socket file cannot be
 * restricted to its owner. The `circusd-stats` facade then fails to start.
 */
export class StatsEndpointError extends CircusError {
  readonly code = 'E_STATS_ENDPOINT';
}
