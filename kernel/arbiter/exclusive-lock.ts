import { ConflictError } from '../errors';

/**
 * The arbiter's exclusivity guard (spec/daemon.md 2.17): one state-changing
 * operation at a time; a second one fails at once with ConflictError, as
 * in Circus. `runWhenFree` is the deviation for signal-triggered quit (Q38):
 * it waits for the lock instead of being dropped.
 */
export class ExclusiveLock {
  private holder: string | null = null;
  /** Text a refused operation gets instead of the usual one (full restart). */
  private conflictText: string | undefined;
  private waiters: (() => void)[] = [];

  /** Name of the operation holding the lock, or null. */
  get running(): string | null {
    return this.holder;
  }

  /**
   * Takes the lock now, synchronously: throws ConflictError at once if it
   * is taken, so a command can refuse before it answers. Returns the
   * release function (idempotent). `conflictText` is what operations
   * refused meanwhile read (Circus: `arbiter is restarting...`).
   */
  acquire(name: string, conflictText?: string): () => void {
    if (this.holder !== null) throw new ConflictError(this.holder, this.conflictText);
    this.holder = name;
    this.conflictText = conflictText;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holder = null;
      this.conflictText = undefined;
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    };
  }

  /** Runs `task` holding the lock; rejects with ConflictError if it is taken. */
  async run<T>(name: string, task: () => Promise<T>, conflictText?: string): Promise<T> {
    const release = this.acquire(name, conflictText);
    try {
      return await task();
    } finally {
      release();
    }
  }

  /**
   * Takes the lock now (ConflictError thrown synchronously) and returns
   * `task`'s promise, the lock being released when it settles: for a
   * command whose work goes on after its reply.
   */
  hold<T>(name: string, task: () => Promise<T>, conflictText?: string): Promise<T> {
    const release = this.acquire(name, conflictText);
    let work: Promise<T>;
    try {
      work = task();
    } catch (err) {
      release();
      throw err;
    }
    return work.finally(release);
  }

  /** Resolves the next time the lock is free (at once if it is). */
  whenIdle(): Promise<void> {
    if (this.holder === null) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Waits until the lock is free, then runs `task` holding it. */
  async runWhenFree<T>(name: string, task: () => Promise<T>, conflictText?: string): Promise<T> {
    for (;;) {
      await this.whenIdle();
      // Another waiter may have taken it between the wake-up and now.
      if (this.holder === null) return this.run(name, task, conflictText);
    }
  }
}
