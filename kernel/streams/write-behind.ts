/**
 * A file stream's write queue: data is appended in order, batched into one
 * writev per turn of the thread pool, so reading the pipes and writing the
 * file overlap; tasks (rollover, open, close) run in between, in order.
 * Above the high-water mark, {@link WriteBehind.push} returns a promise and
 * the redirector pauses the pipe until the queue has drained below it.
 */
export class WriteBehind {
  private readonly ops: ({ buf: Buffer } | { run: () => Promise<void> })[] = [];
  private queued = 0;
  private active = false;
  private failure: unknown = null;
  private waiters: (() => void)[] = [];

  /** `writev` appends every buffer, in order; `highWaterMark` in bytes. */
  constructor(private readonly writev: (bufs: Buffer[]) => Promise<void>, readonly highWaterMark = 1024 * 1024) {}

  /** Bytes accepted and not yet written. */
  get queuedBytes(): number {
    return this.queued;
  }

  /**
   * Queues `buf`. Throws the error of an earlier write that failed (it is
   * reported once). Returns a promise when the queue is above the
   * high-water mark: it settles once it is back below.
   */
  push(buf: Buffer): void | Promise<void> {
    this.raise();
    this.ops.push({ buf });
    this.queued += buf.length;
    this.kick();
    if (this.queued <= this.highWaterMark) return;
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Runs `run` after everything queued before it; rejects with its error. */
  task(run: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.ops.push({
        run: async () => {
          try {
            await run();
            resolve();
          } catch (err) {
            reject(err);
          }
        },
      });
      this.kick();
    });
  }

  /** Like {@link task}, for a task nobody waits on: its failure is reported by the next push or drain. */
  background(run: () => Promise<void>): void {
    this.task(run).catch((err: unknown) => {
      this.failure ??= err;
    });
  }

  /** Resolves once everything queued so far is written; rejects with a pending write failure. */
  async drain(): Promise<void> {
    await this.task(() => Promise.resolve());
    this.raise();
  }

  private raise(): void {
    if (this.failure === null) return;
    const err = this.failure;
    this.failure = null;
    throw err;
  }

  private kick(): void {
    if (this.active) return;
    this.active = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      while (this.ops.length > 0) {
        const head = this.ops[0];
        if ('run' in head) {
          this.ops.shift();
          await head.run();
          continue;
        }
        const bufs: Buffer[] = [];
        let n = 0;
        // Batches are capped so a rollover check never waits behind a huge write.
        while (this.ops.length > 0 && 'buf' in this.ops[0] && n < 4 * 1024 * 1024) {
          const { buf } = this.ops.shift() as { buf: Buffer };
          bufs.push(buf);
          n += buf.length;
        }
        try {
          await this.writev(bufs);
        } catch (err) {
          this.failure ??= err;
        }
        this.queued -= n;
        if (this.queued <= this.highWaterMark) this.release();
      }
    } finally {
      this.active = false;
      this.release();
    }
  }

  private release(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}
