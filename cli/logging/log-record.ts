/** One log event as the handlers see it (the fields Python's LogRecord offers that we can fill). */
export interface LogRecord {
  /** Logger name, e.g. `circus`. */
  readonly name: string;
  readonly levelno: number;
  readonly levelname: string;
  readonly message: string;
  /** Creation time, milliseconds since the epoch. */
  readonly created: number;
  /** pid of the logging process (circusd). */
  readonly process: number;
}
