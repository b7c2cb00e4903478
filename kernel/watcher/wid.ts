/**
 * Worker id allocation (spec/daemon.md 2.5): the smallest integer in
 * 1..2*numprocesses not held by a live process, or null when none is free.
 */
export function allocateWid(used: Iterable<number>, numprocesses: number): number | null {
  const taken = new Set(used);
  const limit = Math.max(2 * numprocesses, 1);
  for (let wid = 1; wid <= limit; wid += 1) if (!taken.has(wid)) return wid;
  return null;
}
