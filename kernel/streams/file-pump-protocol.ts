/**
 * Messages between the main thread and the file pump thread
 * (file-pump.ts, file-pump-worker.ts). Every request is followed by a byte
 * on the wake pipe, since the thread sleeps in poll(2), not in its event loop.
 */

/** A FileStream's file, handed to the thread with the rotation settings. */
export interface LentFile {
  /** The open descriptor (append mode), or -1 when the file is closed. */
  readonly fd: number;
  readonly path: string;
  readonly size: number;
  readonly maxBytes: number;
  readonly backupCount: number;
}

/** Main thread -> pump thread. */
export type PumpRequest =
  | ({ op: 'lend'; id: number } & LentFile)
  /**
   * A pipe read end for target `id`; `carry` is an incomplete UTF-8 tail
   * read earlier. `key` names the pipe in later messages: fd numbers are
   * reused as soon as the thread closes one, before main hears of it.
   */
  | { op: 'pipe'; id: number; key: number; fd: number; carry: Uint8Array | null }
  /** Data written through the stream's own write() while its file is lent. */
  | { op: 'write'; id: number; seq: number; data: Uint8Array }
  /** Stop reading this pipe now (a descendant still holds it open): its fd is closed. */
  | { op: 'close-pipe'; key: number }
  /** Give the file back; the target's pipes still open come back with it. */
  | { op: 'reclaim'; id: number; seq: number }
  | { op: 'quit' };

/** Pump thread -> main thread. */
export type PumpReply =
  /** The pipe reached end of file (or was closed on request); its fd is closed. */
  | { op: 'eof'; key: number }
  /** Writing what was read from pipe `key` failed; the pipe is still read. */
  | { op: 'failed'; key: number; message: string }
  | { op: 'written'; seq: number; error: string | null }
  | { op: 'reclaimed'; seq: number; fd: number; size: number; pipes: { key: number; fd: number; carry: Uint8Array | null }[] };

/** What the thread is started with. */
export interface PumpWorkerData {
  /** Read end of the wake pipe. */
  readonly wakeFd: number;
  /** Int32 flag set to 1 when the process exits: the loop must return. */
  readonly exitFlag: SharedArrayBuffer;
}
