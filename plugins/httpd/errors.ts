/**
 * The errors of the web panel. Request-level failures carry the HTTP status
 * the REST API answers with (spec: panel contract "HTTP surface"); the
 * others stop the panel from starting and name the option at fault.
 */
import { CircusError } from '../../kernel/index';

/** A request the panel refuses; `status` is the HTTP status, the message the `reason` of the error body. */
export class HttpRequestError extends CircusError {
  readonly code = 'E_HTTPD_REQUEST';
  constructor(
    readonly status: number,
    message: string,
    /** Extra response headers (`Allow` for 405, `Retry-After` for 429). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** The panel cannot listen: the address is in use or cannot be bound; the message names host:port. */
export class HttpdListenError extends CircusError {
  readonly code = 'E_HTTPD_LISTEN';
}

/** A panel option is unusable (a password hash that does not parse, no daemon to show). */
export class HttpdConfigError extends CircusError {
  readonly code = 'E_HTTPD_CONFIG';
}
