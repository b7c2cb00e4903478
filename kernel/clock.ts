import { CancelledError } from './errors';

/** Time source of the kernel; injectable so unit tests can drive time. */
export interface Clock {
  /** Wall-clock time in epoch seconds (float), as Circus timestamps events. */
  now(): number;
  /** Monotonic seconds, for ages and uptimes (immune to clock changes). */
  monotonic(): number;
  /**
   * Resolves after `seconds` (at once when <= 0); rejects with
   * CancelledError as soon as `signal` aborts.
   */
  sleep(seconds: number, signal?: AbortSignal): Promise<void>;
}
export const Clock = Symbol('Clock');

/** The real clock: Date.now, performance.now and setTimeout. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now() / 1000;
  }

  monotonic(): number {
    return performance.now() / 1000;
  }

  sleep(seconds: number, signal?: AbortSignal): Promise<void> {
    return cancellableDelay(seconds, signal);
  }
}

/** A setTimeout wrapped in a promise, cancellable by an AbortSignal. */
export function cancellableDelay(seconds: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new CancelledError('wait'));
  if (seconds <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError('wait'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, seconds * 1000);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Random integers; injectable so max_age variance is testable. */
export interface Random {
  /** A uniform integer in [min, max], both ends inclusive (Python randint). */
  int(min: number, max: number): number;
}
export const Random = Symbol('Random');

/** Math.random based implementation. */
export class MathRandom implements Random {
  int(min: number, max: number): number {
    return min + Math.floor(Math.random() * (max - min + 1));
  }
}
