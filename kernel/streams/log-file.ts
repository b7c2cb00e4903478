import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const writeFd = promisify(fs.write);
const closeFd = promisify(fs.close);
const openFd = promisify(fs.open);
const fstatFd = promisify(fs.fstat);
const writevFd = promisify(fs.writev);

/**
 * A file opened in append mode, as the file streams hold it: writes go
 * straight to the descriptor (no user-space buffer, so every write is
 * "flushed"), and the size is tracked for size-based rotation.
 */
export class LogFile {
  private fd: number | null = null;
  private bytes = 0;
  private ident: { dev: number; ino: number } | null = null;
  /** True while another owner (the file pump thread) writes the descriptor. */
  private lent = false;

  /** `filename` null: a new temporary file, like Python's mkstemp. */
  constructor(filename: string | null) {
    this.path = filename ?? path.join(tmpdir(), `circus-stream-${randomBytes(6).toString('hex')}.log`);
  }

  readonly path: string;

  get isOpen(): boolean {
    return this.fd !== null;
  }

  /** Current size of the open file, as far as our own writes know. */
  get size(): number {
    return this.bytes;
  }

  /** Device and inode of the open file (WatchedFileStream compares them). */
  get identity(): { dev: number; ino: number } | null {
    return this.ident;
  }

  /** Synchronous open: file streams create their file when the watcher is built (spec 4.1). */
  openSync(): void {
    if (this.fd !== null) return;
    const fd = fs.openSync(this.path, 'a');
    this.adopt(fd, fs.fstatSync(fd));
  }

  async open(): Promise<void> {
    if (this.fd !== null || this.lent) return;
    const fd = await openFd(this.path, 'a');
    this.adopt(fd, await fstatFd(fd));
  }

  async close(): Promise<void> {
    this.checkNotLent();
    const fd = this.fd;
    if (fd === null) return;
    this.fd = null;
    this.ident = null;
    await closeFd(fd);
  }

  /** Appends all of `buf`; rejects when the file is closed. */
  async write(buf: Buffer): Promise<void> {
    this.checkNotLent();
    const fd = this.fd;
    if (fd === null) throw new Error(`${this.path} is closed`);
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await writeFd(fd, buf, off, buf.length - off);
      off += bytesWritten;
    }
    this.bytes += buf.length;
  }

  /** Appends every buffer with as few writev calls as the kernel allows. */
  async writev(bufs: Buffer[]): Promise<void> {
    this.checkNotLent();
    const fd = this.fd;
    if (fd === null) throw new Error(`${this.path} is closed`);
    const total = bufs.reduce((n, b) => n + b.length, 0);
    const { bytesWritten } = await writevFd(fd, bufs);
    this.bytes += bytesWritten;
    // A short writev (full disk, signal) leaves a tail: finish it with plain writes.
    if (bytesWritten < total) await this.write(Buffer.concat(bufs).subarray(bytesWritten));
  }

  /**
   * Hands the descriptor to another owner: until {@link takeBack} nothing
   * here touches it (it still counts as open). -1 when the file is closed.
   */
  lend(): { fd: number; size: number } {
    this.checkNotLent();
    this.lent = true;
    return { fd: this.fd ?? -1, size: this.bytes };
  }

  /** The descriptor comes back, possibly another one after a rotation (-1: closed). */
  takeBack(fd: number, size: number): void {
    this.lent = false;
    if (fd < 0) {
      this.fd = null;
      this.ident = null;
      return;
    }
    this.adopt(fd, fs.fstatSync(fd));
    this.bytes = size;
  }

  private checkNotLent(): void {
    if (this.lent) throw new Error(`${this.path} is being written by the file pump`);
  }

  private adopt(fd: number, st: fs.Stats): void {
    this.fd = fd;
    this.bytes = st.size;
    this.ident = { dev: st.dev, ino: st.ino };
  }
}
