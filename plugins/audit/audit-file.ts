/**
 * The JSON-lines audit file: opened once for appending, created 0600 (it
 * holds every command's properties, commands and environments included),
 * one object per line, written synchronously so lines keep the order of
 * the events and are on disk when the command's reply goes out.
 */
import * as fs from 'node:fs';
import { errorMessage } from '../../kernel/index';
import { AuditLogError } from './errors';

/** The mode of the audit file: owner only. */
export const AUDIT_FILE_MODE = 0o600;

/** One open audit file (append-only, 0600). */
export class AuditFile {
  private fd: number | null;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /**
   * Opens (or creates) `file` for appending and narrows its mode to 0600.
   * Throws AuditLogError naming `[circus] audit_log` and the file.
   */
  static open(file: string): AuditFile {
    let fd: number;
    try {
      fd = fs.openSync(file, 'a', AUDIT_FILE_MODE);
    } catch (err) {
      throw new AuditLogError(`[circus] audit_log: cannot open ${file} for appending: ${errorMessage(err)}`, { cause: err });
    }
    try {
      // An existing file keeps its mode at open; the audit must not stay readable by others.
      fs.fchmodSync(fd, AUDIT_FILE_MODE);
    } catch (err) {
      fs.closeSync(fd);
      throw new AuditLogError(`[circus] audit_log: cannot restrict ${file} to its owner (mode 0600): ${errorMessage(err)}`, { cause: err });
    }
    return new AuditFile(file, fd);
  }

  /** Appends one record as a JSON line; throws the write error (the caller logs it). */
  append(record: object): void {
    if (this.fd === null) return;
    fs.writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  /** Closes the file; a second call does nothing. */
  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    fs.closeSync(fd);
  }
}
