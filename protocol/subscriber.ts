/**
 * A SUB socket on a Circus pub/sub endpoint (spec/protocol.md 4.1): connect,
 * subscribe to topic prefixes, iterate `[topic, body]` frames. Used by
 * `circusctl listen` and by anything that follows the daemon's events.
 */
import { Subscriber } from 'zeromq';
import { curveSocketOptions } from './client';
import type { ClientCurve } from './curve';

/** Options of {@link CircusSubscriber}. */
export interface CircusSubscriberOptions {
  /** The pub/sub endpoint, e.g. `tcp://127.0.0.1:5556`. */
  readonly endpoint: string;
  /** Topic prefixes; none (or `['']`) means every event. */
  readonly topics?: readonly string[];
  /** Speak CURVE: the server's public key and this client's key pair (off when absent). */
  readonly curve?: ClientCurve;
}

/** One event: the raw topic frame and the raw body frame. */
export type EventFrames = [topic: Buffer, body: Buffer];

/** A subscriber; iterate it with `for await`. Iteration ends when {@link close} is called. */
export class CircusSubscriber implements AsyncIterable<EventFrames> {
  private readonly socket: Subscriber;
  private connected = false;

  constructor(private readonly opts: CircusSubscriberOptions) {
    this.socket = new Subscriber({ linger: 0, ...curveSocketOptions(opts.curve) });
  }

  /** Connects and subscribes; throws the zeromq error for an endpoint it refuses. */
  connect(): void {
    if (this.connected) return;
    this.socket.connect(this.opts.endpoint);
    const topics = this.opts.topics ?? [];
    if (topics.length === 0) this.socket.subscribe();
    else this.socket.subscribe(...topics);
    this.connected = true;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<EventFrames> {
    this.connect();
    for await (const frames of this.socket) {
      // Circus events are exactly two frames; anything else is not an event.
      if (frames.length !== 2) continue;
      yield [frames[0], frames[1]];
    }
  }

  /** Closes the socket; a running iteration ends. */
  close(): void {
    if (!this.socket.closed) this.socket.close();
  }
}
