import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { Disposable, toDisposable } from './disposable';
import { errorMessage } from './errors';
import { AnyCircusEvent, CircusEvent, CircusEventName, CircusEvents } from './events';
import { Logger } from './logger';

/** Listener of one event kind. */
export type EventListener<K extends CircusEventName> = (event: CircusEvent<K>) => void;

/**
 * In-process event bus typed by {@link CircusEvents}. Emitting is synchronous
 * so listeners see events in the order the kernel produced them; a listener
 * that throws is logged and the others still run, because a plugin bug must
 * never break supervision.
 */
@injectable()
export class EventBus {
  private readonly listeners = new Map<string, Set<(event: AnyCircusEvent) => void>>();
  private readonly anyListeners = new Set<(event: AnyCircusEvent) => void>();

  constructor(@inject(Logger) private readonly logger: Logger) {}

  /** Subscribes to one event kind; the returned disposer unsubscribes. */
  on<K extends CircusEventName>(name: K, listener: EventListener<K>): Disposable {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    const fn = listener as unknown as (event: AnyCircusEvent) => void;
    set.add(fn);
    const owner = set;
    return toDisposable(() => owner.delete(fn));
  }

  /**
   * Subscribes to every event. Meant for bridges (pubsub, statsd) that
   * forward all topics; other code should subscribe by name.
   */
  onAny(listener: (event: AnyCircusEvent) => void): Disposable {
    this.anyListeners.add(listener);
    return toDisposable(() => this.anyListeners.delete(listener));
  }

  /** Resolves with the next event of that kind for which `match` holds. */
  next<K extends CircusEventName>(name: K, match: (event: CircusEvent<K>) => boolean = () => true): Promise<CircusEvent<K>> {
    return new Promise((resolve) => {
      const sub = this.on(name, (event) => {
        if (!match(event)) return;
        sub.dispose();
        resolve(event);
      });
    });
  }

  /** Publishes an event to its listeners, then to the catch-all listeners. */
  emit<K extends CircusEventName>(name: K, watcher: string, payload: CircusEvents[K]): void {
    const event = { name, watcher, payload } as unknown as AnyCircusEvent;
    const set = this.listeners.get(name);
    if (set) for (const fn of [...set]) this.deliver(fn, event);
    for (const fn of [...this.anyListeners]) this.deliver(fn, event);
  }

  private deliver(fn: (event: AnyCircusEvent) => void, event: AnyCircusEvent): void {
    try {
      fn(event);
    } catch (err) {
      this.logger.error(`event listener for '${event.name}' of '${event.watcher}' failed: ${errorMessage(err)}`);
    }
  }
}
