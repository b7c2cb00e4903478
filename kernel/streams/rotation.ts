/**
 * The size-rotation rules of FileStream (spec/daemon.md 4.3), shared by the
 * stream's own writes and by the pump thread that writes piped output.
 */

/** Rotate before writing `chunkLength` bytes when size + chunk length >= max_bytes (0: never). */
export function rolloverDue(size: number, chunkLength: number, maxBytes: number): boolean {
  return maxBytes > 0 && size + chunkLength >= maxBytes;
}

/**
 * The renames of one rollover, in order: `<file>.(N-1)` -> `<file>.N` down
 * to `<file>` -> `<file>.1`. None with backup_count 0: the file is only
 * re-opened and keeps growing (quirk Q25, replicated).
 */
export function backupMoves(file: string, backupCount: number): [string, string][] {
  if (backupCount <= 0) return [];
  const moves: [string, string][] = [];
  for (let i = backupCount - 1; i >= 1; i -= 1) moves.push([`${file}.${i}`, `${file}.${i + 1}`]);
  moves.push([file, `${file}.1`]);
  return moves;
}
