/**
 * Config keys are user text: a key such as `__proto__` or `constructor`
 * must become an ordinary own property, never reach the prototype chain.
 */

/** Sets `obj[key] = value` as a plain own, enumerable property. */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
