/** Something that holds a resource (listener, timer, registration) until disposed. */
export interface Disposable {
  /** Releases the resource; calling it twice is harmless. */
  dispose(): void;
}

/** Wraps a release function so it runs at most once. */
export function toDisposable(release: () => void): Disposable {
  let done = false;
  return {
    dispose(): void {
      if (done) return;
      done = true;
      release();
    },
  };
}

/**
 * Collects disposables and releases them in reverse order of addition, so a
 * plugin can drop everything it registered with one call when it stops.
 */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  /** Adds an item; if the store is already disposed the item is released at once. */
  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  dispose(): void {
    this.disposed = true;
    const errors: unknown[] = [];
    while (this.items.length > 0) {
      const item = this.items.pop() as Disposable;
      try {
        item.dispose();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'several disposables failed');
  }
}
