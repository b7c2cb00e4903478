/**
 * The file pump thread: copies the stdout/stderr pipes of children into
 * their FileStream's file, as `cat` would: poll(2) over every pipe, read up
 * to 1 MiB from each ready one, write it to the file in pieces of at most
 * 64 KiB, rotating by the stream's rules first. The main thread never
 * touches these bytes. Writing synchronously here is the back-pressure:
 * while the disk is slow this thread waits, the pipes fill and the
 * children block on them.
 */
import * as fs from 'node:fs';
import { MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { closeFd, pollInput } from '../sockets/libc';
import { PumpReply, PumpRequest, PumpWorkerData } from './file-pump-protocol';
import { backupMoves, rolloverDue } from './rotation';
import { utf8Boundary } from './utf8-boundary';

/** Largest single read: a whole grown pipe (see OUTPUT_PIPE_CAPACITY). */
const READ_SIZE = 1024 * 1024;
/**
 * Largest single write(2). The kernel sizes the page-cache folios of a
 * buffered write by its length: one 1 MiB write asks for order-8 folios,
 * which come out of the free 2 MiB blocks, and in a VM with free page
 * reporting (virtio-balloon) those blocks have been handed back to the host
 * once free for ~2 s, so filling them takes a host fault per page: the copy
 * into the page cache then ran at 0.4-0.8 GB/s instead of 3.5-5 GB/s
 * (measured, see docs/kernel.md). Pieces of 64 KiB (order-4 folios; the
 * most `cat` gets from a default pipe) reuse the small blocks freed moments
 * before; the price is 16 write calls per MiB instead of one.
 */
const WRITE_SIZE = 64 * 1024;
/** poll timeout: only a backstop, the wake pipe interrupts it; bounds how long exit waits. */
const IDLE_POLL_MS = 1000;

interface Target {
  fd: number | null;
  readonly path: string;
  size: number;
  readonly maxBytes: number;
  readonly backupCount: number;
}

interface Pipe {
  readonly id: number;
  readonly key: number;
  /** An incomplete UTF-8 sequence held back for the next read. */
  carry: Buffer | null;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

class PumpLoop {
  private readonly targets = new Map<number, Target>();
  private readonly pipes = new Map<number, Pipe>();
  private readonly scratch = Buffer.allocUnsafeSlow(READ_SIZE);
  private readonly wakeBuf = Buffer.alloc(4096);
  private quit = false;

  constructor(private readonly port: MessagePort, private readonly wakeFd: number, private readonly exitFlag: Int32Array) {}

  run(): void {
    while (!this.quit && Atomics.load(this.exitFlag, 0) === 0) {
      this.receive();
      if (this.quit) break;
      for (const fd of pollInput([this.wakeFd, ...this.pipes.keys()], IDLE_POLL_MS)) {
        if (fd === this.wakeFd) fs.readSync(this.wakeFd, this.wakeBuf);
        else if (this.pipes.has(fd)) this.pump(fd);
      }
    }
  }

  private post(reply: PumpReply): void {
    this.port.postMessage(reply);
  }

  private receive(): void {
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) this.handle(m.message as PumpRequest);
  }

  private handle(req: PumpRequest): void {
    switch (req.op) {
      case 'lend':
        this.targets.set(req.id, { fd: req.fd < 0 ? null : req.fd, path: req.path, size: req.size, maxBytes: req.maxBytes, backupCount: req.backupCount });
        return;
      case 'pipe':
        this.pipes.set(req.fd, { id: req.id, key: req.key, carry: req.carry && req.carry.length > 0 ? Buffer.from(req.carry) : null });
        return;
      case 'write': {
        const data = Buffer.from(req.data.buffer, req.data.byteOffset, req.data.byteLength);
        this.post({ op: 'written', seq: req.seq, error: this.write(req.id, data) });
        return;
      }
      case 'close-pipe':
        for (const [fd, p] of this.pipes) if (p.key === req.key) this.end(fd);
        return;
      case 'reclaim':
        this.reclaim(req.id, req.seq);
        return;
      case 'quit':
        this.quit = true;
        return;
    }
  }

  /** One read from a ready pipe; whole UTF-8 characters go to the file, a cut one waits. */
  private pump(fd: number): void {
    const pipe = this.pipes.get(fd) as Pipe;
    // Reads no longer than max_bytes, so a rotated file holds at most max_bytes (+ a held-back character).
    const max = this.targets.get(pipe.id)?.maxBytes ?? 0;
    let n: number;
    try {
      n = fs.readSync(fd, this.scratch, 0, max > 0 ? Math.min(max, READ_SIZE) : READ_SIZE, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EINTR') return;
      this.post({ op: 'failed', key: pipe.key, message: `reading the pipe failed: ${message(err)}` });
      n = 0;
    }
    if (n === 0) {
      this.end(fd);
      return;
    }
    let data = this.scratch.subarray(0, n);
    if (pipe.carry) {
      data = Buffer.concat([pipe.carry, data]);
      pipe.carry = null;
    }
    const cut = utf8Boundary(data);
    if (cut < data.length) pipe.carry = Buffer.from(data.subarray(cut));
    if (cut === 0) return;
    const error = this.write(pipe.id, data.subarray(0, cut));
    if (error !== null) this.post({ op: 'failed', key: pipe.key, message: error });
  }

  /** End of file (or closed on request): the held-back tail is written as it is, as the main path does. */
  private end(fd: number): void {
    const pipe = this.pipes.get(fd) as Pipe;
    this.pipes.delete(fd);
    if (pipe.carry) {
      const error = this.write(pipe.id, pipe.carry);
      if (error !== null) this.post({ op: 'failed', key: pipe.key, message: error });
    }
    try {
      closeFd(fd);
    } finally {
      this.post({ op: 'eof', key: pipe.key });
    }
  }

  /** FileStream.write's rules: rotate when size + chunk length >= max_bytes, then append all of it. */
  private write(id: number, buf: Buffer): string | null {
    const t = this.targets.get(id);
    if (!t) return 'the file is no longer lent to the pump';
    try {
      if (rolloverDue(t.size, buf.length, t.maxBytes)) this.rollover(t);
      if (t.fd === null) throw new Error(`${t.path} is closed`);
      for (let off = 0; off < buf.length; ) off += fs.writeSync(t.fd, buf, off, Math.min(WRITE_SIZE, buf.length - off));
      t.size += buf.length;
      return null;
    } catch (err) {
      return message(err);
    }
  }

  private rollover(t: Target): void {
    if (t.fd !== null) fs.closeSync(t.fd);
    t.fd = null;
    for (const [from, to] of backupMoves(t.path, t.backupCount)) {
      try {
        fs.renameSync(from, to);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    t.fd = fs.openSync(t.path, 'a');
    // Q25: without backups the same file is re-opened and keeps its size.
    t.size = t.backupCount > 0 ? fs.fstatSync(t.fd).size : t.size;
  }

  private reclaim(id: number, seq: number): void {
    const t = this.targets.get(id);
    this.targets.delete(id);
    const pipes: { key: number; fd: number; carry: Uint8Array | null }[] = [];
    for (const [fd, p] of [...this.pipes]) {
      if (p.id !== id) continue;
      this.pipes.delete(fd);
      pipes.push({ key: p.key, fd, carry: p.carry });
    }
    this.post({ op: 'reclaimed', seq, fd: t?.fd ?? -1, size: t?.size ?? 0, pipes });
  }
}

const data = workerData as PumpWorkerData;
new PumpLoop(parentPort as MessagePort, data.wakeFd, new Int32Array(data.exitFlag)).run();
