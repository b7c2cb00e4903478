import { CircusError } from '../../../kernel/index';

/**
 * A command sent through the bridge got no reply: the daemon is down, the
 * endpoint is wrong, the reply timed out, or the bridge is stopped. The
 * message names the endpoint and the command; the panel maps it to 502.
 */
export class BridgeCallError extends CircusError {
  readonly code = 'E_BRIDGE_CALL';

  constructor(
    readonly endpoint: string,
    readonly command: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`circusd at ${endpoint} did not answer '${command}': ${reason}`, options);
  }
}
