/**
 * One SUB socket and the loop that reads it, so the bridge can open and
 * close its event and stats subscriptions as units and know when a loop
 * has really ended (no socket left behind).
 */
import { errorMessage, type Logger } from '../../../kernel/index';
import type { ClientCurve } from '../../../protocol/curve';
import { CircusSubscriber } from '../../../protocol/subscriber';

/** A running subscription; {@link close} ends it. */
export class Feed {
  private readonly subscriber: CircusSubscriber;
  private closed = false;
  /** Settles when the read loop has ended (never rejects). */
  readonly done: Promise<void>;

  /**
   * Connects to `endpoint` with the topic prefixes (with CURVE when `curve`
   * is given) and hands every frame pair to `onFrames`. Throws the zeromq error for an endpoint it refuses
   * (the socket is closed first).
   */
  constructor(
    readonly endpoint: string,
    topics: readonly string[],
    onFrames: (topic: Buffer, body: Buffer) => void,
    private readonly log: Logger,
    curve?: ClientCurve,
  ) {
    this.subscriber = new CircusSubscriber({ endpoint, topics, curve });
    try {
      this.subscriber.connect();
    } catch (error) {
      this.subscriber.close();
      throw error;
    }
    this.done = this.loop(onFrames);
  }

  /** Closes the socket; the loop ends. */
  close(): void {
    this.closed = true;
    this.subscriber.close();
  }

  private async loop(onFrames: (topic: Buffer, body: Buffer) => void): Promise<void> {
    try {
      for await (const [topic, body] of this.subscriber) {
        try {
          onFrames(topic, body);
        } catch (error) {
          // One bad frame or listener must not end the subscription.
          this.log.error(`frame ${topic.toString('utf8')} from ${this.endpoint} failed: ${errorMessage(error)}`);
        }
      }
    } catch (error) {
      if (!this.closed) this.log.warning(`subscription to ${this.endpoint} ended: ${errorMessage(error)}`);
    } finally {
      this.subscriber.close();
    }
  }
}
