/**
 * The base of every log sink. A handler filters by its own level, formats
 * with its formatter and writes synchronously where the medium allows, so the
 * lines written just before circusd exits are not lost.
 */
import { Formatter } from './formatter';
import type { LogRecord } from './log-record';
import { NOTSET } from './levels';

/** Where a handler reports its own failures (tests substitute a collector). */
export type HandlerErrorSink = (handler: Handler, error: unknown) => void;

/** Writes handler failures on stderr: a failing log sink must not crash circusd, nor go unnoticed. */
export const reportToStderr: HandlerErrorSink = (handler, error) => {
  const reason = error instanceof Error ? error.message : String(error);
  try {
    process.stderr.write(`circusd: log handler ${handler.describe()} failed: ${reason}\n`);
  } catch {
    // stderr itself is gone (closed pipe); there is nowhere left to report to.
  }
};

/** One log sink (Python `logging.Handler`). */
export abstract class Handler {
  level = NOTSET;
  formatter = new Formatter();
  onError: HandlerErrorSink = reportToStderr;

  /** Emits `record` if it passes the handler level; a failure is reported, never thrown. */
  handle(record: LogRecord): void {
    if (record.levelno < this.level) return;
    try {
      this.emit(record);
    } catch (error) {
      this.onError(this, error);
    }
  }

  /** Formats `record` with this handler's formatter. */
  format(record: LogRecord): string {
    return this.formatter.formatRecord(record);
  }

  /** Writes one record; may throw (reported by {@link handle}). */
  protected abstract emit(record: LogRecord): void;

  /** Names the sink in error messages, e.g. `FileHandler(/var/log/circus.log)`. */
  abstract describe(): string;

  /** Re-opens the sink if it is a file (SIGHUP); a no-op otherwise. */
  reopen(): void {}

  /** Releases the sink; resolves once pending output is flushed. */
  async close(): Promise<void> {}
}
