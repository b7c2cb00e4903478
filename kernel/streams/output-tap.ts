import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { Clock } from '../clock';
import { Disposable, toDisposable } from '../disposable';
import { errorMessage } from '../errors';
import { Logger } from '../logger';

/** One chunk of child output as circusd read it from a pipe. */
export interface OutputChunk {
  /** The watcher's name as configured (not lower-cased). */
  readonly watcher: string;
  /** Pid of the process that wrote it. */
  readonly pid: number;
  readonly stream: 'stdout' | 'stderr';
  /**
   * The bytes as the stream gets them, never ending inside a UTF-8
   * sequence (the redirector's carry), so `data.toString('utf8')` never
   * splits a character across two chunks. Shared with the stream: read it,
   * never modify it.
   */
  readonly data: Buffer;
  /** When it was read: epoch seconds, float. */
  readonly time: number;
}

/** Receives every chunk synchronously, on the main thread, in read order per pipe. */
export type OutputListener = (chunk: OutputChunk) => void;

/**
 * The arbiter's captured child output, for plugins (the pubsub plugin's
 * `publish_output`, a log tail): `arbiter.outputs.tap(listener)`, or inject
 * the OutputTap token.
 *
 * A dedicated service rather than a bus event: the bus builds an event and
 * copies its listener lists on every emit, and every `onAny` listener
 * (pubsub, statsd) would have to learn to skip output. Here the redirector
 * asks {@link active} first, so while nobody listens output costs one
 * boolean read per main-thread chunk and nothing at all on pipes the file
 * pump thread copies. While a tap is active, pipes of processes spawned
 * from then on are read on the main thread even when their stream is a
 * FileStream (the stream still gets every byte), so the tap sees all of
 * their output; pipes the pump already copies stay there, unseen. Core
 * plugins start before any watcher, so a tap taken in a core plugin's
 * start() sees every child.
 */
@injectable()
export class OutputTap {
  private readonly listeners = new Set<OutputListener>();

  constructor(
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /** True while at least one listener is tapped in. */
  get active(): boolean {
    return this.listeners.size > 0;
  }

  /**
   * Starts delivering chunks to `listener` until the returned disposable is
   * disposed. A listener that throws is logged; the output still reaches
   * its stream and the other listeners.
   */
  tap(listener: OutputListener): Disposable {
    // A wrapper, so the same function tapped twice is two taps.
    const own: OutputListener = (chunk) => listener(chunk);
    this.listeners.add(own);
    return toDisposable(() => this.listeners.delete(own));
  }

  /** Called by the redirector for each chunk it reads (only while {@link active}). */
  publish(watcher: string, pid: number, stream: 'stdout' | 'stderr', data: Buffer): void {
    if (this.listeners.size === 0) return;
    const chunk: OutputChunk = { watcher, pid, stream, data, time: this.clock.now() };
    for (const fn of [...this.listeners]) {
      try {
        fn(chunk);
      } catch (err) {
        this.logger.error(`output listener failed on the ${stream} of ${watcher} (pid ${pid}): ${errorMessage(err)}`);
      }
    }
  }
}
