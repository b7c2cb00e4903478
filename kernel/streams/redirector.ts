import type { Readable } from 'node:stream';
import { errorMessage } from '../errors';
import { Logger } from '../logger';
import { StreamSink } from './stream-sink';
import { StreamRecord } from './stream-types';
import { utf8Boundary } from './utf8-boundary';

type OutputName = StreamRecord['name'];

interface Pipe {
  readonly pid: number;
  readonly name: OutputName;
  readonly readable: Readable;
  /** An incomplete UTF-8 sequence held back for the next chunk. */
  carry: Buffer | null;
  /** Bytes handed to a stream whose write has not finished yet. */
  pending: number;
  readonly ended: Promise<void>;
}

/**
 * Reads the stdout/stderr pipes of a watcher's processes as data arrives
 * (whatever the pipe gives, up to 64 KiB a read) and hands each chunk to
 * the current sink of that output as `{data, pid, name}` (spec/daemon.md
 * 4.1). While a chunk's write is pending its pipe is paused, so Node stops
 * reading it and a child writing faster than the stream blocks on its full
 * pipe: the daemon holds at most one chunk plus Node's read buffer per pipe.
 */
export class Redirector {
  private readonly pipes = new Set<Pipe>();
  private peak = 0;

  constructor(
    private readonly sinkFor: (name: OutputName) => StreamSink | null,
    private readonly log: Logger,
    private readonly watcher: string,
  ) {}

  /** Bytes read from pipes and not yet written by their stream. */
  get bufferedBytes(): number {
    let total = 0;
    for (const p of this.pipes) total += p.pending + p.readable.readableLength + (p.carry?.length ?? 0);
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

  /** Starts reading one pipe of process `pid`; end of file detaches it. */
  attach(pid: number, name: OutputName, readable: Readable): void {
    let done!: () => void;
    const pipe: Pipe = { pid, name, readable, carry: null, pending: 0, ended: new Promise<void>((r) => (done = r)) };
    this.pipes.add(pipe);
    const finish = (): void => {
      if (!this.pipes.delete(pipe)) return;
      if (pipe.carry) this.deliver(pipe, pipe.carry);
      pipe.carry = null;
      done();
    };
    readable.on('data', (chunk: Buffer) => this.onData(pipe, chunk));
    readable.once('end', finish);
    readable.once('close', finish);
    readable.on('error', (err: Error) => {
      this.log.warning(`${this.watcher}: reading the ${name} of ${pid} failed: ${errorMessage(err)}`);
    });
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
    for (const p of [...this.pipes]) p.readable.destroy();
  }

  private onData(pipe: Pipe, chunk: Buffer): void {
    const buf = pipe.carry ? Buffer.concat([pipe.carry, chunk]) : chunk;
    const cut = utf8Boundary(buf);
    pipe.carry = cut < buf.length ? Buffer.from(buf.subarray(cut)) : null;
    if (cut > 0) this.deliver(pipe, cut === buf.length ? buf : buf.subarray(0, cut));
  }

  private deliver(pipe: Pipe, data: Buffer): void {
    const sink = this.sinkFor(pipe.name);
    if (!sink) return;
    const written = sink.write({ data, pid: pipe.pid, name: pipe.name });
    if (!written) return;
    pipe.pending += data.length;
    pipe.readable.pause();
    const now = this.bufferedBytes;
    if (now > this.peak) this.peak = now;
    void written.then(() => {
      // Read again before releasing: Node may have buffered more meanwhile.
      const before = this.bufferedBytes;
      if (before > this.peak) this.peak = before;
      pipe.pending -= data.length;
      if (!pipe.readable.destroyed) pipe.readable.resume();
    });
  }
}
