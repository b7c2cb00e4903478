import { CircusError } from '../../kernel/index';

/**
 * The pubsub endpoint cannot be served: `pubsub_endpoint` cannot be bound
 * (port in use, missing directory) or its ipc socket file cannot be
 * restricted to its owner. circusd then fails to start with this message.
 */
export class PubsubEndpointError extends CircusError {
  readonly code = 'E_PUBSUB_ENDPOINT';
}
