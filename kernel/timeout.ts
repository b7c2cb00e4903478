import { cancellableDelay } from './clock';
import { TimeoutError } from './errors';

/**
 * Races `work` against a cancellable timer; rejects with a TimeoutError
 * naming `what` when it takes longer than `seconds`. The timer is always
 * cancelled, so nothing keeps the event loop alive afterwards.
 */
export async function withTimeout<T>(what: string, seconds: number, work: Promise<T>): Promise<T> {
  const timer = new AbortController();
  const timeout = cancellableDelay(seconds, timer.signal).then(
    () => Promise.reject(new TimeoutError(what, seconds)),
    // Cancelled once `work` settled: stay pending, the race is over anyway.
    () => new Promise<never>(() => undefined),
  );
  try {
    return await Promise.race([work, timeout]);
  } finally {
    timer.abort();
  }
}
