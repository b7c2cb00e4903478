/**
 * Python `logging.FileHandler` and `logging.handlers.WatchedFileHandler`.
 * Writes are synchronous (`fs.writeSync`) so nothing is lost when circusd
 * exits right after logging. Node opens every file with O_CLOEXEC, so the log
 * file is never inherited by watcher processes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Handler } from './handler';
import type { LogRecord } from './log-record';

/** Options shared by the file handlers (Python's constructor arguments). */
export interface FileHandlerOptions {
  /** `a` (append, default) or `w` (truncate at open). */
  readonly mode?: string;
  /** Open on the first record instead of at construction. */
  readonly delay?: boolean;
}

/** Appends records to a file (path made absolute against circusd's working directory). */
export class FileHandler extends Handler {
  readonly filename: string;
  readonly mode: string;
  protected fd: number | null = null;

  constructor(filename: string, options: FileHandlerOptions = {}) {
    super();
    this.filename = path.resolve(filename);
    this.mode = options.mode ?? 'a';
    if (!options.delay) this.open();
  }

  protected open(): void {
    this.fd = fs.openSync(this.filename, this.mode.startsWith('w') ? 'w' : 'a', 0o666);
  }

  protected write(text: string): void {
    if (this.fd === null) this.open();
    fs.writeSync(this.fd as number, text);
  }

  protected emit(record: LogRecord): void {
    this.write(`${this.format(record)}\n`);
  }

  describe(): string {
    return `${this.constructor.name}(${this.filename})`;
  }

  /** Closes and opens the file again with the handler's mode (what Circus does on SIGHUP). */
  override reopen(): void {
    if (this.fd === null) return;
    this.closeFd();
    this.open();
  }

  protected closeFd(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    fs.closeSync(fd);
  }

  override async close(): Promise<void> {
    this.closeFd();
  }
}

/**
 * A {@link FileHandler} that notices when its file was moved or deleted (log
 * rotation) and re-opens the path. It compares the path's device/inode with
 * the open descriptor's before each write, as Python does; chosen over
 * `fs.watch` because it is synchronous with the write (no event can arrive
 * late and lose a line into the rotated file) and works on every filesystem.
 */
export class WatchedFileHandler extends FileHandler {
  private dev = 0;
  private ino = 0;

  protected override open(): void {
    super.open();
    const st = fs.fstatSync(this.fd as number);
    this.dev = st.dev;
    this.ino = st.ino;
  }

  private reopenIfNeeded(): void {
    if (this.fd === null) return;
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(this.filename);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (st && st.dev === this.dev && st.ino === this.ino) return;
    this.closeFd();
    this.open();
  }

  protected override emit(record: LogRecord): void {
    this.reopenIfNeeded();
    super.emit(record);
  }
}
