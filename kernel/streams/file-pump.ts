import { writeSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { closeFd, openPipe, setNonBlocking } from '../sockets/libc';
import { LentFile, PumpReply, PumpRequest, PumpWorkerData } from './file-pump-protocol';

/** A pipe the stream hands back when its file is reclaimed while the pipe is still open. */
export interface HandedBack {
  readonly fd: number;
  /** An incomplete UTF-8 tail already read from it. */
  readonly carry: Buffer | null;
}

/** A pipe read by the pump. */
export interface PipeHandle {
  /** Settles with null at end of file (the fd is closed), or with the pipe when its stream gave it back. */
  readonly done: Promise<HandedBack | null>;
  /** Stops reading now and closes the fd (a descendant still holds the pipe open); `done` then settles with null. */
  close(): void;
}

interface PipeEntry {
  readonly fd: number;
  readonly resolve: (back: HandedBack | null) => void;
  readonly onError: (message: string) => void;
}

interface Waiter {
  readonly resolve: (reply: PumpReply) => void;
  readonly reject: (err: Error) => void;
}

const WORKER_FILE = path.join(__dirname, 'file-pump-worker.js');

/**
 * The main-thread side of the file pump thread (file-pump-worker.ts): one
 * thread per daemon process, started when the first FileStream lends it
 * its file and ended when the last one takes its file back, so an idle
 * daemon runs no extra thread and a busy one only one (a thread per stream
 * would cost ~8 MiB each). The thread is unref'ed: it never keeps the
 * process alive, except while a request is waiting for its answer.
 */
export class FilePump {
  private static current: FilePump | null = null;
  /** Threads not yet fully ended (their exit closes the wake pipe). */
  private static readonly ending = new Set<Promise<void>>();

  /** The running pump, started on first use. */
  static shared(): FilePump {
    if (FilePump.current === null) FilePump.current = new FilePump();
    return FilePump.current;
  }

  private readonly worker: Worker;
  private readonly wake: { read: number; write: number };
  private readonly exitFlag = new Int32Array(new SharedArrayBuffer(4));
  private readonly wakeByte = Buffer.from([1]);
  /** Targets by id; requests for a target whose file is not lent yet wait in its outbox. */
  private readonly targets = new Map<number, { outbox: PumpRequest[] | null }>();
  /** Pipes being read, by key (not fd: the thread may close an fd and main reuse its number first). */
  private readonly pipes = new Map<number, PipeEntry>();
  private nextKey = 1;
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 1;
  private nextSeq = 1;
  private dead: Error | null = null;
  private readonly onExit = (): void => {
    // process.exit joins worker threads: make the loop return instead of sleeping in poll.
    Atomics.store(this.exitFlag, 0, 1);
    this.poke();
  };

  private constructor() {
    this.wake = openPipe(0);
    setNonBlocking(this.wake.write, true);
    const data: PumpWorkerData = { wakeFd: this.wake.read, exitFlag: this.exitFlag.buffer as SharedArrayBuffer };
    // Untracked: a file the thread opens (rotation) is handed back and must survive the thread.
    this.worker = new Worker(WORKER_FILE, { workerData: data, trackUnmanagedFds: false });
    this.worker.unref();
    this.worker.on('message', (reply: PumpReply) => this.onReply(reply));
    this.worker.on('error', (err) => this.fail(err));
    const ended = new Promise<void>((resolve) => {
      this.worker.once('exit', () => {
        this.fail(new Error('the file pump thread exited'));
        closeFd(this.wake.read);
        closeFd(this.wake.write);
        FilePump.ending.delete(ended);
        resolve();
      });
    });
    FilePump.ending.add(ended);
    process.on('exit', this.onExit);
  }

  /** Resolves once no pump thread is running or ending (tests: no thread and no fd left). */
  static async idle(): Promise<void> {
    while (FilePump.ending.size > 0) await Promise.all([...FilePump.ending]);
  }

  /** A new target id; requests for it are held until {@link lend}. */
  reserve(): number {
    const id = this.nextId++;
    this.targets.set(id, { outbox: [] });
    return id;
  }

  /** Hands target `id` its file: from now on only the thread writes it. */
  lend(id: number, file: LentFile): void {
    const target = this.targets.get(id);
    if (!target || target.outbox === null) return;
    const held = target.outbox;
    target.outbox = null;
    this.post({ op: 'lend', id, ...file });
    for (const req of held) this.post(req);
  }

  /** The thread reads pipe `fd` into target `id`'s file until end of file; `onError` hears of failed writes. */
  addPipe(id: number, fd: number, carry: Buffer | null, onError: (message: string) => void): PipeHandle {
    const key = this.nextKey++;
    const done = new Promise<HandedBack | null>((resolve) => this.pipes.set(key, { fd, resolve, onError }));
    if (this.dead) {
      closeFd(fd);
      this.settlePipe(key, null);
    } else this.send(id, { op: 'pipe', id, key, fd, carry });
    return {
      done,
      close: () => {
        if (this.pipes.has(key) && !this.dead) this.send(id, { op: 'close-pipe', key });
      },
    };
  }

  /** Appends `data` to target `id`'s file (a stream write made while the file is lent). */
  async write(id: number, data: Buffer): Promise<void> {
    const seq = this.nextSeq++;
    const reply = await this.request(seq, () => this.send(id, { op: 'write', id, seq, data }));
    if (reply.op === 'written' && reply.error !== null) throw new Error(reply.error);
  }

  /**
   * Takes target `id`'s file back (fd -1: it was closed by a failed
   * rotation); its pipes still open settle with {@link HandedBack}. The
   * thread ends with the last target.
   */
  async reclaim(id: number): Promise<{ fd: number; size: number }> {
    const seq = this.nextSeq++;
    const reply = await this.request(seq, () => this.send(id, { op: 'reclaim', id, seq }));
    this.targets.delete(id);
    if (reply.op !== 'reclaimed') throw new Error('the file pump answered out of turn');
    for (const p of reply.pipes) this.settlePipe(p.key, { fd: p.fd, carry: p.carry ? Buffer.from(p.carry) : null });
    if (this.targets.size === 0) this.shutdown();
    return { fd: reply.fd, size: reply.size };
  }

  private send(id: number, req: PumpRequest): void {
    const outbox = this.targets.get(id)?.outbox;
    if (outbox) outbox.push(req);
    else this.post(req);
  }

  private post(req: PumpRequest): void {
    this.worker.postMessage(req);
    this.poke();
  }

  private poke(): void {
    try {
      writeSync(this.wake.write, this.wakeByte);
    } catch (err) {
      // A full wake pipe already wakes the thread; anything else is a bug to report.
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
  }

  private request(seq: number, send: () => void): Promise<PumpReply> {
    if (this.dead) return Promise.reject(this.dead);
    const answer = new Promise<PumpReply>((resolve, reject) => this.waiting.set(seq, { resolve, reject }));
    // Keep the process alive until the answer comes.
    this.worker.ref();
    send();
    return answer;
  }

  private onReply(reply: PumpReply): void {
    if (reply.op === 'eof') this.settlePipe(reply.key, null);
    else if (reply.op === 'failed') this.pipes.get(reply.key)?.onError(reply.message);
    else {
      const w = this.waiting.get(reply.seq);
      this.waiting.delete(reply.seq);
      if (this.waiting.size === 0) this.worker.unref();
      w?.resolve(reply);
    }
  }

  private settlePipe(key: number, back: HandedBack | null): void {
    const entry = this.pipes.get(key);
    this.pipes.delete(key);
    entry?.resolve(back);
  }

  private shutdown(): void {
    if (FilePump.current === this) FilePump.current = null;
    process.off('exit', this.onExit);
    this.post({ op: 'quit' });
  }

  /** The thread died: every waiter fails, every pipe it held is closed and reported. */
  private fail(err: Error): void {
    if (this.dead) return;
    this.dead = err;
    if (FilePump.current === this) FilePump.current = null;
    process.off('exit', this.onExit);
    const crashed = this.targets.size > 0 || this.waiting.size > 0;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
    for (const [key, entry] of [...this.pipes]) {
      if (crashed) entry.onError(`the file pump thread failed: ${err.message}`);
      closeFd(entry.fd);
      this.settlePipe(key, null);
    }
  }
}
