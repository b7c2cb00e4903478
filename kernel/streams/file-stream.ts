import { rename } from 'node:fs/promises';
import { FilePump, PipeHandle } from './file-pump';
import { LogFile } from './log-file';
import { backupMoves, rolloverDue } from './rotation';
import { intOption } from './stream-options';
import { DEFAULT_STREAM_CONTEXT, OutputStream, StreamContext, StreamRecord } from './stream-types';
import { formatChunk } from './time-prefix';
import { WriteBehind } from './write-behind';

/**
 * Appends output to a file, with optional size-based rotation to
 * `<file>.1` ... `<file>.N` (spec/daemon.md 4.3). Options: `filename`
 * (default: a new temporary file), `max_bytes`, `backup_count`,
 * `time_format`. The file is created by the constructor.
 */
export class FileStream implements OutputStream {
  readonly maxBytes: number;
  readonly backupCount: number;
  readonly timeFormat: string | null;
  protected readonly file: LogFile;
  private readonly queue: WriteBehind;
  /** File size once everything queued is written: the rollover check reads it. */
  private size: number;
  /** Set while the file pump thread owns the file (see {@link adoptPipe}). */
  private lent: { readonly pump: FilePump; readonly id: number } | null = null;

  constructor(options: Readonly<Record<string, string>> = {}, protected readonly ctx: StreamContext = DEFAULT_STREAM_CONTEXT) {
    this.file = new LogFile(options.filename ?? null);
    this.maxBytes = intOption(options, 'max_bytes', 0);
    this.backupCount = intOption(options, 'backup_count', 0);
    this.timeFormat = options.time_format ?? null;
    this.file.openSync();
    this.size = this.file.size;
    this.queue = new WriteBehind((bufs) => this.file.writev(bufs));
  }

  /** The path written to. */
  get filename(): string {
    return this.file.path;
  }

  /** False after close() until open(). */
  get isOpen(): boolean {
    return this.file.isOpen;
  }

  /**
   * Queues the chunk (after a rollover when it is due). Returns a promise
   * only when the write queue is above its high-water mark; every chunk is
   * handed to the OS with no user-space buffer once its turn comes.
   */
  write(record: StreamRecord): void | Promise<void> {
    const lent = this.lent;
    if (lent) {
      // The thread owns the file and its size: it applies the rules (rare: pipes go there directly).
      const buf = this.render(record);
      return this.queue.task(() => lent.pump.write(lent.id, buf));
    }
    if (rolloverDue(this.size, record.data.length, this.maxBytes)) {
      // Q25: without backups the same file is re-opened and keeps its size.
      if (this.backupCount > 0) this.size = 0;
      this.queue.background(() => this.rollover());
    }
    const buf = this.render(record);
    this.size += buf.length;
    return this.queue.push(buf);
  }

  /** Resolves once every queued chunk is in the file; rejects with a write failure not yet reported. */
  flush(): Promise<void> {
    return this.queue.drain();
  }

  async open(): Promise<void> {
    await this.queue.task(async () => {
      await this.file.open();
      this.size = this.file.size;
    });
  }

  async close(): Promise<void> {
    try {
      await this.queue.drain();
    } finally {
      await this.queue.task(async () => {
        await this.reclaim();
        await this.file.close();
      });
    }
  }

  /**
   * Lets the file pump thread copy pipe `fd` of a child straight into the
   * file (no byte through the main thread). The first pipe lends the file
   * to the thread once the writes queued before are done; it stays lent
   * until close(). Null (the caller reads the pipe itself) with a
   * time_format, which needs the per-chunk text path, or a closed file.
   */
  adoptPipe(fd: number, carry: Buffer | null, onError: (message: string) => void): PipeHandle | null {
    if (this.timeFormat !== null || !this.file.isOpen) return null;
    if (this.lent === null) {
      const pump = FilePump.shared();
      const id = pump.reserve();
      this.lent = { pump, id };
      this.queue.background(async () => {
        const { fd: fileFd, size } = this.file.lend();
        pump.lend(id, { fd: fileFd, size, path: this.file.path, maxBytes: this.maxBytes, backupCount: this.backupCount });
      });
    }
    return this.lent.pump.addPipe(this.lent.id, fd, carry, onError);
  }

  /** Takes the file back from the pump thread; pipes still open go back to their redirector. */
  private async reclaim(): Promise<void> {
    const lent = this.lent;
    if (!lent) return;
    this.lent = null;
    const back = await lent.pump.reclaim(lent.id);
    this.file.takeBack(back.fd, back.size);
    this.size = back.size;
  }

  protected render(record: StreamRecord): Buffer {
    if (this.timeFormat === null) return record.data;
    return Buffer.from(formatChunk(record.data.toString('utf8'), this.timeFormat, this.ctx.now(), record.pid), 'utf8');
  }

  /**
   * Python's RotatingFileHandler rollover. With backup_count 0 nothing is
   * renamed and the same file is re-opened (quirk Q25, replicated), so it
   * keeps growing and every later write re-opens it.
   */
  private async rollover(): Promise<void> {
    await this.file.close();
    for (const [from, to] of backupMoves(this.file.path, this.backupCount)) await renameIfExists(from, to);
    await this.file.open();
  }
}

/** rename(2) that treats a missing source as nothing to do, as the Python handler does. */
export async function renameIfExists(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
