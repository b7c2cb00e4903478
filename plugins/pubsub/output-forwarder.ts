/**
 * `[circus] publish_output` (a circus-ts extension, docs/pubsub.md): every
 * chunk of child output the kernel's OutputTap hands over is published as
 * `output.<resname>.<stdout|stderr>` on the pubsub socket. Output is bulky
 * and a child may flood it, so it gets its own budget inside the shared
 * send queue: past it, chunks are dropped (counted and logged) before they
 * are even encoded. The streams still get every byte; only the copy on the
 * wire is lossy, as PUB itself is for a slow subscriber. A long chunk is
 * cut into frames of about {@link OutputBudget.frameChars} characters of
 * body: ZeroMQ keeps up to its high-water mark of frames (1,000) for each
 * subscriber that does not keep up, so the frame size is what bounds that.
 */
import { Disposable, Logger, OutputChunk, OutputTap } from '../../kernel/index';
import { encodeOutput } from '../../protocol/output-topics';
import type { QueuedPublisher } from '../../protocol/queued-publisher';

/** How much of the send queue output may fill before new chunks are dropped. */
export interface OutputBudget {
  /** Frames waiting (events included): output stays well below the events' own bound. */
  readonly frames: number;
  /** Text waiting, in UTF-16 units (bodies are ASCII: bytes). */
  readonly chars: number;
  /**
   * The size a frame aims at: a chunk is cut into pieces of at most this
   * many UTF-16 units (never inside a surrogate pair), and a piece whose
   * body comes out over twice as long (escapes: `\u20ac` is six
   * characters for one) is cut again, so a body stays under about twice this.
   */
  readonly frameChars: number;
}

/**
 * 1,000 frames (a tenth of the event queue, so a flood never crowds out
 * `watcher.` events) and 8 MiB of text; frames of 16 to 32 Ki characters
 * (a 64 KiB pipe read of ASCII text gives four), so a subscriber that
 * stops reading costs ZeroMQ at most about 32 MiB, whatever the output.
 */
export const OUTPUT_BUDGET: OutputBudget = { frames: 1_000, chars: 8 * 1024 * 1024, frameChars: 16 * 1024 };

/** Taps the arbiter's output and publishes it while started. */
export class OutputForwarder {
  private subscription: Disposable | null = null;
  /** Chunks (and their bytes) dropped since the last report. */
  private dropped = 0;
  private droppedBytes = 0;

  constructor(
    private readonly publisher: QueuedPublisher,
    private readonly log: Logger,
    private readonly budget: OutputBudget = OUTPUT_BUDGET,
  ) {}

  /** Starts forwarding: from now on the tap sees the pipes of every new process. */
  start(outputs: OutputTap): void {
    this.subscription ??= outputs.tap((chunk) => this.forward(chunk));
  }

  /** Stops forwarding and reports what was dropped since the last report. */
  stop(): void {
    this.subscription?.dispose();
    this.subscription = null;
    this.report();
  }

  private forward(chunk: OutputChunk): void {
    const backlog = this.publisher.backlog;
    if (backlog.frames >= this.budget.frames || backlog.chars >= this.budget.chars) {
      if (this.dropped++ === 0) {
        this.log.warning(`pubsub: output backlog over ${this.budget.frames} frames or ${this.budget.chars} characters; dropping output chunks`);
      }
      this.droppedBytes += chunk.data.length;
      return;
    }
    this.report();
    const max = this.budget.frameChars;
    const encode = (data: string): [string, string] =>
      encodeOutput({ watcher: chunk.watcher, stream: chunk.stream, pid: chunk.pid, data, time: chunk.time });
    const frames: [string, string][] = [];
    for (const piece of cut(chunk.data.toString('utf8'), max)) {
      const frame = encode(piece);
      const parts = Math.ceil(frame[1].length / (2 * max));
      // Mostly escapes (binary junk, non-Latin text): encode again in smaller pieces.
      if (parts <= 1) frames.push(frame);
      else for (const sub of cut(piece, Math.ceil(piece.length / parts))) frames.push(encode(sub));
    }
    this.publisher.publish(frames);
  }

  private report(): void {
    if (this.dropped === 0) return;
    this.log.warning(`pubsub: ${this.dropped} output chunks (${this.droppedBytes} bytes) were dropped`);
    this.dropped = 0;
    this.droppedBytes = 0;
  }
}

/** `text` in pieces of at most `max` UTF-16 units, never splitting a surrogate pair. */
export function cut(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const pieces: string[] = [];
  for (let at = 0; at < text.length; ) {
    let end = Math.min(at + max, text.length);
    const last = text.charCodeAt(end - 1);
    // A high surrogate at the cut: keep the pair together in the next piece.
    if (end < text.length && last >= 0xd800 && last <= 0xdbff && end - 1 > at) end -= 1;
    pieces.push(text.slice(at, end));
    at = end;
  }
  return pieces;
}
