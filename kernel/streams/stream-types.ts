/**
 * What flows from a child's pipe into an output stream (spec/daemon.md 4.1),
 * and the contract every stream, built-in or user-written, follows.
 */

/** One chunk read from a child's stdout or stderr pipe. */
export interface StreamRecord {
  /** The raw bytes as the pipe gave them (never split inside a UTF-8 sequence). */
  readonly data: Buffer;
  /** Pid of the process that wrote them. */
  readonly pid: number;
  readonly name: 'stdout' | 'stderr';
}

/**
 * An output stream. `write` may return a promise: the redirector then pauses
 * the pipe until it settles, so a slow stream slows the child instead of
 * growing the daemon's memory. Calls never overlap: the next `write`,
 * `open` or `close` waits for the previous one.
 */
export interface OutputStream {
  write(record: StreamRecord): void | Promise<void>;
  /** Re-opens what `close` closed (called on every watcher start). */
  open?(): void | Promise<void>;
  /** Releases the file (explicit watcher stop, arbiter quit). */
  close?(): void | Promise<void>;
}

/** Where a console stream writes (circusd's stdout by default). */
export interface ConsoleTarget {
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/** Services the built-in streams read; injectable for tests. */
export interface StreamContext {
  /** Wall clock, epoch milliseconds (time prefixes, timed rotation). */
  now(): number;
  /** Uniform in [0, 1): the random colour of FancyStdoutStream. */
  random(): number;
  /** Target of StdoutStream and FancyStdoutStream. */
  console: ConsoleTarget;
}

/** The real clock, Math.random and process.stdout. */
export const DEFAULT_STREAM_CONTEXT: StreamContext = {
  now: () => Date.now(),
  random: () => Math.random(),
  console: process.stdout,
};

/** Writes to a console target, resolving once it has drained when it is full. */
export function writeConsole(target: ConsoleTarget, text: string): void | Promise<void> {
  if (text === '' || target.write(text)) return;
  return new Promise<void>((resolve) => {
    target.once('drain', resolve);
  });
}
