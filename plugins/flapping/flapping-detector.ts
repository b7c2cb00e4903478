/**
 * The flapping rule of spec/daemon.md 6.6, without I/O: timelines of reap
 * times and retry counters per watcher. The plugin feeds it reaps with the
 * watcher's effective settings and carries out the verdict (log, casts,
 * retry timer), so every branch is testable with made-up times.
 */

/** The settings that apply to one watcher (plugin options overlaid with its `flapping.*` keys). */
export interface FlappingSettings {
  /** Reaps that form a window (`attempts`). */
  readonly attempts: number;
  /** Seconds, after the check-delay correction (`window`). */
  readonly window: number;
  /** Seconds before the watcher is started again (`retry_in`). */
  readonly retry_in: number;
  /** Flapping stops allowed before giving up; -1 = unlimited (`max_retry`). */
  readonly max_retry: number;
  /** `flapping.active` of the watcher; false: reaps are recorded, never judged. */
  readonly active: boolean;
}

/** `max_retry` value meaning "retry forever" (Circus's INFINITE_RETRY). */
export const INFINITE_RETRY = -1;

/**
 * What one reap came to. `retry`: stop the watcher and start it again
 * after `retryIn` seconds (`attempt` is the new try count); `give-up`:
 * stop it for good; `calm`: the window was too long, counters reset;
 * `none`: nothing to judge yet (or the watcher is not checked).
 */
export type FlappingVerdict =
  | { readonly kind: 'retry'; readonly attempt: number; readonly retryIn: number }
  | { readonly kind: 'give-up' }
  | { readonly kind: 'calm' }
  | { readonly kind: 'none' };

/** Per-watcher timelines and try counters, keyed by watcher name. */
export class FlappingDetector {
  private readonly timelines = new Map<string, number[]>();
  private readonly tries = new Map<string, number>();

  /**
   * @param checkDelay subtracted from the timeline span: 5.0 as in every
   *   Circus plugin process, whatever `[circus] check_delay` says (Q27).
   */
  constructor(private readonly checkDelay: number) {}

  /** Records a reap of `watcher` at `now` (epoch seconds) and judges the timeline. */
  reap(watcher: string, now: number, settings: FlappingSettings): FlappingVerdict {
    const timeline = this.timelines.get(watcher) ?? [];
    timeline.push(now);
    this.timelines.set(watcher, timeline);
    // An inactive watcher keeps its growing timeline (Circus does); once it
    // is longer than `attempts` the exact-length test below never fires again.
    if (!settings.active) return { kind: 'none' };
    if (timeline.length !== settings.attempts) return { kind: 'none' };
    const tries = this.tries.get(watcher) ?? 0;
    const duration = timeline[timeline.length - 1] - timeline[0] - this.checkDelay;
    this.timelines.set(watcher, []);
    if (duration > settings.window) {
      this.tries.set(watcher, 0);
      return { kind: 'calm' };
    }
    if (tries < settings.max_retry || settings.max_retry === INFINITE_RETRY) {
      this.tries.set(watcher, tries + 1);
      return { kind: 'retry', attempt: tries + 1, retryIn: settings.retry_in };
    }
    this.tries.set(watcher, 0);
    return { kind: 'give-up' };
  }

  /** Reaps recorded since the last judgement (for tests and diagnostics). */
  timeline(watcher: string): readonly number[] {
    return [...(this.timelines.get(watcher) ?? [])];
  }

  /** Flapping stops counted for `watcher` since the last reset. */
  triesOf(watcher: string): number {
    return this.tries.get(watcher) ?? 0;
  }

  /** Sets the try counter (tests reproduce Circus's `tries = 4` scenarios with it). */
  setTries(watcher: string, tries: number): void {
    this.tries.set(watcher, tries);
  }
}
