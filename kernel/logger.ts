/**
 * The logging seam of the kernel. The kernel and plugins write through this
 * interface only; cli/ provides the sinks (Circus line format, files, syslog,
 * logger config files). Levels are Python logging's, since Circus users match
 * on `[INFO]`, `[WARNING]` ...
 */
export type LogLevel = 'debug' | 'info' | 'warning' | 'error' | 'critical';

export interface Logger {
  /** The logger name printed in each line (`circus` for the kernel). */
  readonly name: string;
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  critical(message: string): void;
  /** A logger with another name writing to the same sinks. */
  child(name: string): Logger;
}

/** A logger that drops everything: the default when embedding without one. */
export class NullLogger implements Logger {
  constructor(readonly name = 'circus') {}
  debug(): void {}
  info(): void {}
  warning(): void {}
  error(): void {}
  critical(): void {}
  child(name: string): Logger {
    return new NullLogger(name);
  }
}

/** DI token of the {@link Logger} interface. */
export const Logger = Symbol('Logger');
