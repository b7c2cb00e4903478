import { OutputStream } from './stream-types';

/** Reports a failed stream operation; the sink never lets one escape. */
export type SinkErrorHandler = (op: 'write' | 'open' | 'close', err: unknown) => void;

function isThenable(v: unknown): v is PromiseLike<void> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * Runs one stream's operations strictly one after another, in arrival
 * order, whatever mix of processes feeds it. A stream whose write is
 * synchronous costs no promise at all; an asynchronous one makes
 * {@link write} return the promise the redirector waits on before reading
 * more from that pipe.
 */
export class StreamSink {
  private tail: Promise<void> | null = null;

  constructor(readonly stream: OutputStream, private readonly onError: SinkErrorHandler) {}

  /** Null when the record was written synchronously; else settles (never rejects) once written. */
  write(record: Parameters<OutputStream['write']>[0]): Promise<void> | null {
    return this.enqueue('write', () => this.stream.write(record));
  }

  /** Re-opens the stream after the writes queued before it. */
  async open(): Promise<void> {
    await this.enqueue('open', () => this.stream.open?.());
  }

  /** Closes the stream after the writes queued before it. */
  async close(): Promise<void> {
    await this.enqueue('close', () => this.stream.close?.());
  }

  /** Resolves once everything queued so far is done. */
  async idle(): Promise<void> {
    while (this.tail) await this.tail;
  }

  private enqueue(op: 'write' | 'open' | 'close', fn: () => void | Promise<void>): Promise<void> | null {
    if (this.tail === null) {
      let result: void | Promise<void>;
      try {
        result = fn();
      } catch (err) {
        this.onError(op, err);
        return null;
      }
      if (!isThenable(result)) return null;
      return this.track(Promise.resolve(result).catch((err: unknown) => this.onError(op, err)));
    }
    return this.track(
      this.tail.then(async () => {
        try {
          await fn();
        } catch (err) {
          this.onError(op, err);
        }
      }),
    );
  }

  private track(p: Promise<void>): Promise<void> {
    this.tail = p;
    void p.then(() => {
      if (this.tail === p) this.tail = null;
    });
    return p;
  }
}
