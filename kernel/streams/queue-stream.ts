import { OutputStream, StreamRecord } from './stream-types';

/** Keeps every record in memory (spec/daemon.md 4.3): for tests and embedders that read output. */
export class QueueStream implements OutputStream {
  readonly queue: StreamRecord[] = [];

  constructor(_options: Readonly<Record<string, string>> = {}) {}

  write(record: StreamRecord): void {
    this.queue.push(record);
  }

  /** Removes and returns the oldest record, or undefined. */
  shift(): StreamRecord | undefined {
    return this.queue.shift();
  }
}
