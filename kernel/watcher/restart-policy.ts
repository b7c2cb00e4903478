/** Settings of the respawn backoff; watcher keys `respawn_backoff_*`. */
export interface RestartPolicySettings {
  /** First delay once processes keep dying young (`respawn_backoff_min`, s). */
  readonly minDelay: number;
  /** Upper bound of the doubling delay (`respawn_backoff_max`, s). */
  readonly maxDelay: number;
  /** A process living at least this long resets the backoff (`respawn_min_uptime`, s). */
  readonly minUptime: number;
  /** Consecutive young deaths (or failed attempts) replaced without delay (`respawn_backoff_after`). */
  readonly freeFailures: number;
}

/** Defaults, documented in docs/kernel.md. */
export const DEFAULT_RESTART_POLICY: RestartPolicySettings = Object.freeze({
  minDelay: 0.1,
  maxDelay: 30,
  minUptime: 1,
  freeFailures: 1,
});

/**
 * Decides how long a watcher waits before replacing a process. The watcher
 * asks; it holds no backoff logic itself, so another policy can be
 * injected (tests, plugins).
 */
export interface RestartPolicy {
  /** A process died after `uptime` seconds: delay (s) before its replacement. */
  afterExit(uptime: number): number;
  /** A spawn attempt failed before the program ran: delay (s) before the next attempt. */
  afterFailedAttempt(): number;
  /** The watcher was stopped or started afresh: forget the history. */
  reset(): void;
}

/** Makes one policy per watcher. */
export interface RestartPolicyFactory {
  create(settings: RestartPolicySettings): RestartPolicy;
}
export const RestartPolicyFactory = Symbol('RestartPolicyFactory');

/**
 * Exponential backoff for crash loops: a death after a long enough life is
 * replaced at once and resets the count; the first `freeFailures` young
 * deaths in a row are replaced at once too; after that each delay doubles
 * from `minDelay` up to `maxDelay`.
 */
export class BackoffRestartPolicy implements RestartPolicy {
  private young = 0;

  constructor(private readonly settings: RestartPolicySettings) {}

  afterExit(uptime: number): number {
    if (uptime >= this.settings.minUptime) {
      this.young = 0;
      return 0;
    }
    return this.failure();
  }

  afterFailedAttempt(): number {
    return this.failure();
  }

  reset(): void {
    this.young = 0;
  }

  private failure(): number {
    this.young += 1;
    const over = this.young - this.settings.freeFailures;
    if (over <= 0) return 0;
    const delay = this.settings.minDelay * 2 ** Math.min(over - 1, 60);
    return Math.min(delay, this.settings.maxDelay);
  }
}

/** Factory of {@link BackoffRestartPolicy}. */
export class BackoffRestartPolicyFactory implements RestartPolicyFactory {
  create(settings: RestartPolicySettings): RestartPolicy {
    return new BackoffRestartPolicy(settings);
  }
}
