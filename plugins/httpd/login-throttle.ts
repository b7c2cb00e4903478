/**
 * Slows down password guessing: after `maxFailures` wrong passwords from one
 * client address within `windowMs`, that address is refused (HTTP 429)
 * until the window has passed. The table is bounded, so a flood of
 * addresses cannot grow the daemon.
 */

/** Settings of {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /** Failures allowed per window (default 5). */
  readonly maxFailures?: number;
  /** The window, in ms (default 60 s). */
  readonly windowMs?: number;
  /** Addresses remembered at most (default 10000); the oldest is forgotten first. */
  readonly maxAddresses?: number;
  /** Clock (ms), replaceable in tests. */
  readonly now?: () => number;
}

interface Entry {
  failures: number;
  /** When the window of the first counted failure ends. */
  until: number;
}

/** Per-address failure counter. */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxAddresses: number;
  private readonly now: () => number;

  constructor(options: LoginThrottleOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxAddresses = options.maxAddresses ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Seconds to wait before `address` may try again, or 0 when it may try now. */
  retryAfter(address: string): number {
    const entry = this.live(address);
    if (!entry || entry.failures < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((entry.until - this.now()) / 1000));
  }

  /** Counts one wrong password from `address`. */
  fail(address: string): void {
    let entry = this.live(address);
    if (!entry) {
      if (this.entries.size >= this.maxAddresses) this.evict();
      entry = { failures: 0, until: this.now() + this.windowMs };
    }
    entry.failures += 1;
    // Re-inserted so the Map's order stays "least recently failed first" for eviction.
    this.entries.delete(address);
    this.entries.set(address, entry);
  }

  /** A successful login clears the address's failures. */
  succeed(address: string): void {
    this.entries.delete(address);
  }

  private live(address: string): Entry | undefined {
    const entry = this.entries.get(address);
    if (entry && entry.until <= this.now()) {
      this.entries.delete(address);
      return undefined;
    }
    return entry;
  }

  private evict(): void {
    const now = this.now();
    for (const [address, entry] of this.entries) {
      if (entry.until <= now) this.entries.delete(address);
    }
    if (this.entries.size >= this.maxAddresses) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}
