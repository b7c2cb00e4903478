import { CircusError } from '../../kernel/index';

/**
 * The control endpoint cannot be served: the address cannot be bound (port
 * in use, missing directory), or the ipc socket file cannot be restricted
 * to its owner. circusd then fails to start with this message.
 */
export class ControlEndpointError extends CircusError {
  readonly code = 'E_CONTROL_ENDPOINT';
}
