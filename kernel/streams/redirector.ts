import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { OutputPipe, RawPipe } from '../process/spawner';
import { errorMessage } from '../errors';
import { Logger } from '../logger';
import { HandedBack, PipeHandle } from './file-pump';
import type { OutputTap } from './output-tap';
import { StreamSink } from './stream-sink';
import { OutputStream, StreamRecord } from './stream-types';
import { utf8Boundary } from './utf8-boundary';

type OutputName = StreamRecord['name'];

interface Pipe {
  readonly pid: number;
  readonly name: OutputName;
  /** An incomplete UTF-8 sequence held back for the next chunk. */
  carry: Buffer | null;
  /** Bytes handed to a stream whose write has not finished yet. */
  pending: number;
  /** Bytes read from the pipe and buffered by Node. */
  readonly queued: () => number;
  /** Stops reading and releases the pipe. */
  readonly destroy: () => void;
  readonly ended: Promise<void>;
}

/** A stream that can have a raw pipe copied into it off the main thread (FileStream). */
interface PipeAdopter {
  adoptPipe(fd: number, carry: Buffer | null, onError: (message: string) => void): PipeHandle | null;
}

function isRawPipe(source: OutputPipe): source is RawPipe {
  return (source as Partial<RawPipe>).kind === 'raw-pipe';
}

function canAdopt(stream: OutputStream | undefined): stream is OutputStream & PipeAdopter {
  return typeof (stream as Partial<PipeAdopter> | undefined)?.adoptPipe === 'function';
}

/**
 * Reads the stdout/stderr pipes of a watcher's processes as data arrives
 * and hands each chunk to the current sink of that output as
 * `{data, pid, name}` (spec/daemon.md 4.1). A raw pipe (see RawPipe)
 * whose stream is a FileStream is copied by the file pump thread straight
 * into the file; any other pipe is read here (whatever the pipe gives, up
 * to 64 KiB a read). While a chunk's write is pending its pipe is paused,
 * so a child writing faster than the stream blocks on its full pipe: the
 * daemon holds at most one chunk plus Node's read buffer per pipe.
 * While an {@link OutputTap} is active, new pipes are all read here (none
 * adopted by the pump) and each chunk is also handed to the tap.
 */
export class Redirector {
  private readonly pipes = new Set<Pipe>();
  private peak = 0;

  constructor(
    private readonly sinkFor: (name: OutputName) => StreamSink | null,
    private readonly log: Logger,
    private readonly watcher: string,
    private readonly tap: OutputTap | null = null,
  ) {}

  /** Bytes read from pipes by the main thread and not yet written by their stream. */
  get bufferedBytes(): number {
    let total = 0;
    for (const p of this.pipes) total += p.pending + p.queued() + (p.carry?.length ?? 0);
    return total;
  }

  /** The highest {@link bufferedBytes} seen while a write was pending. */
  get peakBufferedBytes(): number {
    return this.peak;
  }

  /** Number of pipes still attached (not yet at end of file). */
  get attached(): number {
    return this.pipes.size;
  }

  /** Starts reading one pipe of process `pid`; end of file detaches it. A raw pipe is owned (closed) from here on. */
  attach(pid: number, name: OutputName, source: OutputPipe): void {
    if (isRawPipe(source)) this.attachRaw(pid, name, source.fd, null);
    else this.attachReadable(pid, name, source, null);
  }

  /**
   * Detaches every pipe: waits up to `graceMs` for their end of file (so
   * the last words of exited processes are written), then destroys the
   * ones a surviving descendant still holds open.
   */
  async stop(graceMs = 1000): Promise<void> {
    if (this.pipes.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.pipes].map((p) => p.ended)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    const left = [...this.pipes];
    for (const p of left) p.destroy();
    // A pumped pipe is closed by its thread: wait for it, so no fd outlives stop().
    await Promise.all(left.map((p) => p.ended));
  }

  /** A FileStream takes the raw pipe; anything else gets it read here. */
  private attachRaw(pid: number, name: OutputName, fd: number, carry: Buffer | null): void {
    const stream = this.sinkFor(name)?.stream;
    // A tapped pipe must pass through this thread: the pump never shows its bytes to anyone.
    const handle = canAdopt(stream) && !this.tap?.active
      ? stream.adoptPipe(fd, carry, (message) => this.log.error(`${this.watcher}: ${name} stream write failed: ${message}`))
      : null;
    if (handle) this.track(pid, name, handle);
    else this.attachReadable(pid, name, new Socket({ fd, readable: true, writable: false }), carry);
  }

  private track(pid: number, name: OutputName, handle: PipeHandle): void {
    let done!: () => void;
    const pipe: Pipe = { pid, name, carry: null, pending: 0, queued: () => 0, destroy: () => handle.close(), ended: new Promise<void>((r) => (done = r)) };
    this.pipes.add(pipe);
    void handle.done.then((back: HandedBack | null) => {
      this.pipes.delete(pipe);
      // Handed back: its stream was closed or swapped (set stdout_stream.*); the current one takes over.
      if (back) this.attachRaw(pid, name, back.fd, back.carry);
      done();
    });
  }

  private attachReadable(pid: number, name: OutputName, readable: Readable, carry: Buffer | null): void {
    let done!: () => void;
    const pipe: Pipe = {
      pid,
      name,
      carry,
      pending: 0,
      queued: () => readable.readableLength,
      destroy: () => readable.destroy(),
      ended: new Promise<void>((r) => (done = r)),
    };
    this.pipes.add(pipe);
    const finish = (): void => {
      if (!this.pipes.delete(pipe)) return;
      if (pipe.carry) this.deliver(pipe, readable, pipe.carry);
      pipe.carry = null;
      done();
    };
    readable.on('data', (chunk: Buffer) => this.onData(pipe, readable, chunk));
    readable.once('end', finish);
    readable.once('close', finish);
    readable.on('error', (err: Error) => {
      this.log.warning(`${this.watcher}: reading the ${name} of ${pid} failed: ${errorMessage(err)}`);
    });
  }

  private onData(pipe: Pipe, readable: Readable, chunk: Buffer): void {
    const buf = pipe.carry ? Buffer.concat([pipe.carry, chunk]) : chunk;
    const cut = utf8Boundary(buf);
    pipe.carry = cut < buf.length ? Buffer.from(buf.subarray(cut)) : null;
    if (cut > 0) this.deliver(pipe, readable, cut === buf.length ? buf : buf.subarray(0, cut));
  }

  private deliver(pipe: Pipe, readable: Readable, data: Buffer): void {
    if (this.tap?.active) this.tap.publish(this.watcher, pipe.pid, pipe.name, data);
    const sink = this.sinkFor(pipe.name);
    if (!sink) return;
    const written = sink.write({ data, pid: pipe.pid, name: pipe.name });
    if (!written) return;
    pipe.pending += data.length;
    readable.pause();
    const now = this.bufferedBytes;
    if (now > this.peak) this.peak = now;
    void written.then(() => {
      // Read again before releasing: Node may have buffered more meanwhile.
      const before = this.bufferedBytes;
      if (before > this.peak) this.peak = before;
      pipe.pending -= data.length;
      if (!readable.destroyed) readable.resume();
    });
  }
}

/**
 * Drains and drops a pipe whose output has no stream any more (removed by
 * `set` between the spawn and now): closing it would kill the child with
 * SIGPIPE, leaving it unread would block the child and leak the fd.
 */
export function discardPipe(source: OutputPipe, onError: (err: Error) => void): void {
  const readable = isRawPipe(source) ? new Socket({ fd: source.fd, readable: true, writable: false }) : source;
  readable.on('error', onError).resume();
}
