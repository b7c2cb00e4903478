import { stat } from 'node:fs/promises';
import { LogFile } from './log-file';
import { DEFAULT_STREAM_CONTEXT, OutputStream, StreamContext, StreamRecord } from './stream-types';
import { formatChunk } from './time-prefix';

/**
 * A file stream for external rotation (logrotate): before every write the
 * path is stat'ed, and when it is gone or names another inode the file is
 * re-opened at the path (spec/daemon.md 4.3). Options: `filename`,
 * `time_format`; no size rotation.
 */
export class WatchedFileStream implements OutputStream {
  readonly timeFormat: string | null;
  private readonly file: LogFile;

  constructor(options: Readonly<Record<string, string>> = {}, private readonly ctx: StreamContext = DEFAULT_STREAM_CONTEXT) {
    this.file = new LogFile(options.filename ?? null);
    this.timeFormat = options.time_format ?? null;
    this.file.openSync();
  }

  get filename(): string {
    return this.file.path;
  }

  get isOpen(): boolean {
    return this.file.isOpen;
  }

  async write(record: StreamRecord): Promise<void> {
    await this.followRename();
    const text = this.timeFormat === null ? record.data : Buffer.from(formatChunk(record.data.toString('utf8'), this.timeFormat, this.ctx.now(), record.pid));
    await this.file.write(text);
  }

  open(): Promise<void> {
    return this.file.open();
  }

  close(): Promise<void> {
    return this.file.close();
  }

  private async followRename(): Promise<void> {
    const mine = this.file.identity;
    let moved = false;
    try {
      const st = await stat(this.file.path);
      moved = mine === null || st.dev !== mine.dev || st.ino !== mine.ino;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      moved = true;
    }
    if (!moved) return;
    await this.file.close();
    await this.file.open();
  }
}
