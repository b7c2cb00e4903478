import { CircusError } from '../../kernel/index';

/**
 * CURVE cannot be served: a key file named by `[circus] curve_secret_key`
 * or `curve_authorized_keys` is missing or malformed (the message names the
 * key and the file), or the ZAP handler address is taken. circusd then
 * fails to start with this message.
 */
export class ZapError extends CircusError {
  readonly code = 'E_ZAP';
}
