/** Python `logging.handlers.RotatingFileHandler`: size-based rotation to `file.1` ... `file.N`. */
import * as fs from 'node:fs';
import { FileHandler, type FileHandlerOptions } from './file-handler';
import type { LogRecord } from './log-record';

/** RotatingFileHandler options (Python's names). */
export interface RotatingFileHandlerOptions extends FileHandlerOptions {
  /** Roll over when the file would reach this many bytes; 0 never rolls over. */
  readonly maxBytes?: number;
  /** Number of backups kept; 0 means the file is never renamed (as in Python). */
  readonly backupCount?: number;
}

/** Appends records, rotating the file once it would pass `maxBytes`. */
export class RotatingFileHandler extends FileHandler {
  readonly maxBytes: number;
  readonly backupCount: number;

  constructor(filename: string, options: RotatingFileHandlerOptions = {}) {
    const maxBytes = options.maxBytes ?? 0;
    // Python forces append mode when rotating, or a restart would wipe the log.
    super(filename, { ...options, mode: maxBytes > 0 ? 'a' : options.mode });
    this.maxBytes = maxBytes;
    this.backupCount = options.backupCount ?? 0;
  }

  private shouldRollover(text: string): boolean {
    if (this.maxBytes <= 0) return false;
    if (this.fd === null) this.open();
    const size = fs.fstatSync(this.fd as number).size;
    return size + Buffer.byteLength(text) >= this.maxBytes;
  }

  private doRollover(): void {
    this.closeFd();
    if (this.backupCount > 0) {
      for (let i = this.backupCount - 1; i > 0; i--) {
        const source = `${this.filename}.${i}`;
        if (fs.existsSync(source)) fs.renameSync(source, `${this.filename}.${i + 1}`);
      }
      if (fs.existsSync(this.filename)) fs.renameSync(this.filename, `${this.filename}.1`);
    }
    this.open();
  }

  protected override emit(record: LogRecord): void {
    const text = `${this.format(record)}\n`;
    if (this.shouldRollover(text)) this.doRollover();
    this.write(text);
  }
}
