/**
 * The error family of the kernel. Every error carries a stable `code` that
 * transports (control plugin, HTTP bridge) map to Circus errno values; the
 * message names the watcher, key or operation at fault.
 */

/** Base class of every error the kernel throws. */
export abstract class CircusError extends Error {
  /** Stable, machine-readable identifier; never changes between releases. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An exclusive operation was refused because another one is running (spec 2.17). */
export class ConflictError extends CircusError {
  readonly code = 'E_CONFLICT';
  /**
   * `running`: name of the operation that holds the lock. `message`
   * replaces the usual text (a full restart answers `arbiter is restarting...`).
   */
  constructor(readonly running: string, message?: string) {
    super(message ?? `arbiter is already running ${running} command`);
  }
}

/**
 * A command failed in a way Circus reports as a generic command error
 * (errno 5, reason `command <request>: <message>`): e.g. adding a watcher
 * whose name exists (`'web' already exist`), an unknown signal name. The
 * message is Circus's own text, so clients see the same reason.
 */
export class CommandError extends CircusError {
  readonly code = 'E_COMMAND';
}

/** A watcher, command or plugin of that name does not exist. */
export class NotFoundError extends CircusError {
  readonly code = 'E_NOT_FOUND';
  constructor(readonly kind: string, readonly what: string) {
    super(`${kind} '${what}' not found`);
  }
}

/** Something of that name already exists (e.g. adding a watcher twice). */
export class AlreadyExistsError extends CircusError {
  readonly code = 'E_ALREADY_EXISTS';
  constructor(readonly kind: string, readonly what: string) {
    super(`${kind} '${what}' already exists`);
  }
}

/** A watcher record could not be turned into a watcher (spec 1.10); the arbiter skips it. */
export class ConstructionError extends CircusError {
  readonly code = 'E_CONSTRUCTION';
  constructor(readonly watcher: string, detail: string, options?: { cause?: unknown }) {
    super(`watcher '${watcher}': ${detail}`, options);
  }
}

/**
 * One attempt to create a process failed before the program ran (spec
 * 2.4.4): missing program or directory, unknown user, group or rlimit. The
 * message reads like Circus's (`[Errno 2] No such file or directory: ...`);
 * the watcher logs it as `error in '<name>': <message>`.
 */
export class SpawnError extends CircusError {
  readonly code = 'E_SPAWN';
}

/** A command line cannot be tokenized (`No closing quotation`, spec 2.3 item 4). */
export class CommandLineError extends CircusError {
  readonly code = 'E_COMMAND_LINE';
}

/** A value given to an operation is invalid (e.g. singleton incr, unknown option). */
export class ArgumentError extends CircusError {
  readonly code = 'E_ARGUMENT';
}

/** A required property of a command is missing. */
export class MissingPropertyError extends CircusError {
  readonly code = 'E_MISSING_PROPERTY';
  constructor(readonly command: string, readonly property: string) {
    super(`command '${command}': missing property '${property}'`);
  }
}

/** A wait was cancelled (arbiter stopping, operation aborted). */
export class CancelledError extends CircusError {
  readonly code = 'E_CANCELLED';
  constructor(what: string) {
    super(`${what} cancelled`);
  }
}

/** A bounded wait ran out (plugin start/stop). */
export class TimeoutError extends CircusError {
  readonly code = 'E_TIMEOUT';
  constructor(what: string, seconds: number) {
    super(`${what} did not finish within ${seconds} s`);
  }
}

/** A plugin failed to start or stop. */
export class PluginError extends CircusError {
  readonly code = 'E_PLUGIN';
  constructor(readonly plugin: string, detail: string, options?: { cause?: unknown }) {
    super(`plugin '${plugin}': ${detail}`, options);
  }
}

/** Text of any thrown value, for log lines. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
