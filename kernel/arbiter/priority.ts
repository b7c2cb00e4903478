/**
 * Priority order (spec/daemon.md 2.14): highest priority first, ties in list
 * order (Array.prototype.sort is stable).
 */
export function priorityOrder<T extends { readonly priority: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.priority - a.priority);
}
