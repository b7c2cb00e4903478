import { ConflictError } from '../errors';

/**
 * The arbiter's exclusivity guard (spec/daemon.md 2.17): one state-changing
 * operation at a time; a second one fails at once with ConflictError, as
 * in Circus. `runWhenFree` is the deviation for signal-triggered quit (Q38):
 * it waits for the lock instead of being dropped.
 */
export class ExclusiveLock {
  private holder: string | null = null;
  private waiters: (() => void)[] = [];

  /** Name of the operation holding the lock, or null. */
  get running(): string | null {
    return this.holder;
  }

  /** Runs `task` holding the lock; rejects with ConflictError if it is taken. */
  async run<T>(name: string, task: () => Promise<T>): Promise<T> {
    if (this.holder !== null) throw new ConflictError(this.holder);
    this.holder = name;
    try {
      return await task();
    } finally {
      this.holder = null;
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** Resolves the next time the lock is free (at once if it is). */
  whenIdle(): Promise<void> {
    if (this.holder === null) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Waits until the lock is free, then runs `task` holding it. */
  async runWhenFree<T>(name: string, task: () => Promise<T>): Promise<T> {
    for (;;) {
      await this.whenIdle();
      // Another waiter may have taken it between the wake-up and now.
      if (this.holder === null) return this.run(name, task);
    }
  }
}
