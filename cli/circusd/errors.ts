/**
 * The error family of the circusd program. Every failure that ends circusd
 * carries a stable `code` (for tests and scripts) and the exit status it maps
 * to, so the entry point can print one clear message instead of a stack trace.
 */

import { CircusError } from '../../kernel/index';

/** Stable codes of {@link CircusdError}. */
export type CircusdErrorCode =
  | 'CIRCUSD_USAGE'
  | 'CIRCUSD_CONFIG_MISSING'
  | 'CIRCUSD_CONFIG_INVALID'
  | 'CIRCUSD_PIDFILE_STALE'
  | 'CIRCUSD_PIDFILE_DIR'
  | 'CIRCUSD_PIDFILE_IO'
  | 'CIRCUSD_LOGGING_CONFIG'
  | 'CIRCUSD_LOG_OUTPUT'
  | 'CIRCUSD_DAEMON'
  | 'CIRCUSD_START_FAILED'
  | 'CIRCUSD_INTERNAL';

/** A failure of circusd itself (not of a watcher): message + stable code + exit status. */
export class CircusdError extends CircusError {
  /**
   * @param code stable identifier of the failure kind
   * @param message one or more lines naming the file/option at fault
   * @param exitCode process exit status circusd ends with (1 unless a usage error)
   * @param stdout print the message on stdout instead of stderr (the pidfile
   *   "stale" message, quirk Q39, goes to stdout as in Circus)
   */
  constructor(
    readonly code: CircusdErrorCode,
    message: string,
    readonly exitCode = 1,
    readonly stdout = false,
  ) {
    super(message);
  }
}

/** A logging configuration (output URL, logger config file) that cannot be applied. */
export class LoggingConfigError extends CircusdError {
  constructor(message: string, code: 'CIRCUSD_LOGGING_CONFIG' | 'CIRCUSD_LOG_OUTPUT' = 'CIRCUSD_LOGGING_CONFIG') {
    super(code, message);
  }
}

/** A pidfile that cannot be created: live foreign pid, missing directory, I/O error. */
export class PidfileError extends CircusdError {
  constructor(
    code: 'CIRCUSD_PIDFILE_STALE' | 'CIRCUSD_PIDFILE_DIR' | 'CIRCUSD_PIDFILE_IO',
    message: string,
  ) {
    super(code, message, 1, code === 'CIRCUSD_PIDFILE_STALE');
  }
}
