/**
 * A bound ZeroMQ PUB endpoint with one bounded send queue: what the pubsub
 * and stats endpoints both need. zeromq.js allows one send in flight, so a
 * single pump sends in order; a daemon whose own loop stalls drops new
 * frames past `maxQueued` (counted and logged) instead of growing; an ipc
 * socket file is restricted like the control endpoint's and removed at
 * close; the close gives ZeroMQ a moment to write what was queued.
 */
import { Publisher } from 'zeromq';
import type { CurveServerSocketOptions } from './curve-server';
import { ipcPath, removeIpcFile, secureIpcFile } from './ipc-file';

/** How an endpoint is bound and reported. */
export interface PublisherEndpoint {
  readonly endpoint: string;
  /** The config key, for messages: `pubsub_endpoint`. */
  readonly key: string;
  /** Used in messages about the socket file and the queue: `pubsub`. */
  readonly label: string;
  /** `[circus] endpoint_owner`, given the ipc file. */
  readonly owner: string | null;
  /** The kernel's user lookup (protocol/ does not import the kernel). */
  readonly resolveUid: (owner: string) => Promise<number>;
  readonly maxQueued: number;
  /** Where queue and send problems are reported. */
  readonly log: { warning(message: string): void };
  /** How long the close may spend writing queued frames (ms); 0 drops them. */
  readonly flushMs: number;
  /**
   * CURVE server options (protocol/curve-server.ts) when `[circus]
   * curve_secret_key` is set: a subscriber without an authorized key then
   * never completes the handshake and receives nothing.
   */
  readonly socketOptions?: CurveServerSocketOptions;
}

export class QueuedPublisher {
  private socket: Publisher | null;
  private readonly queue: [string, string][] = [];
  private pump: Promise<void> | null = null;
  private dropped = 0;
  /** Text length (UTF-16 units) of the frames in {@link queue}. */
  private queuedChars = 0;

  private constructor(
    socket: Publisher,
    private ipcFile: string | null,
    private readonly opts: PublisherEndpoint,
  ) {
    this.socket = socket;
  }

  /**
   * Binds the endpoint and secures its ipc file. Rejects with an Error
   * naming the key and endpoint (`could not bind pubsub_endpoint tcp://...:
   * Address already in use`) or the socket file / user; nothing stays bound.
   */
  static async bind(opts: PublisherEndpoint): Promise<QueuedPublisher> {
    // The CURVE options go in the constructor: libzmq reads them when a peer connects, so they must be set before the bind.
    const socket = new Publisher({ linger: 0, ...opts.socketOptions });
    try {
      await socket.bind(opts.endpoint);
    } catch (err) {
      socket.close();
      throw new Error(`could not bind ${opts.key} ${opts.endpoint}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const file = ipcPath(opts.endpoint);
    const pub = new QueuedPublisher(socket, file, opts);
    try {
      if (file !== null) await secureIpcFile(file, `${opts.label} socket file`, opts.owner, opts.resolveUid);
    } catch (err) {
      await pub.close();
      throw err;
    }
    return pub;
  }

  /** Queues frames in order; past `maxQueued` waiting, new ones are dropped and counted. */
  publish(frames: readonly [string, string][]): void {
    for (const f of frames) {
      if (this.queue.length >= this.opts.maxQueued) {
        if (this.dropped++ === 0) this.opts.log.warning(`${this.opts.label}: more than ${this.opts.maxQueued} ${this.unit} waiting; dropping new ones`);
        continue;
      }
      this.queue.push(f);
      this.queuedChars += f[0].length + f[1].length;
    }
    if (this.pump === null && this.queue.length > 0 && this.socket !== null) this.pump = this.drain();
  }

  /**
   * What waits for the socket: frames and their text length (UTF-16
   * units). A publisher of bulky frames (captured output) reads it to keep
   * its own, tighter budget, leaving room for the events.
   */
  get backlog(): { readonly frames: number; readonly chars: number } {
    return { frames: this.queue.length, chars: this.queuedChars };
  }

  /** Sends what is queued (within `flushMs`), closes the socket and removes its ipc file. */
  async close(): Promise<void> {
    await this.pump;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.linger = this.opts.flushMs;
      socket.close();
    }
    this.queue.length = 0;
    this.queuedChars = 0;
    if (this.ipcFile !== null) {
      try {
        removeIpcFile(this.ipcFile);
      } catch (err) {
        this.opts.log.warning(`could not remove the ${this.opts.label} socket file ${this.ipcFile}: ${err instanceof Error ? err.message : String(err)}`);
      }
      this.ipcFile = null;
    }
  }

  private get unit(): string {
    return this.opts.label === 'pubsub' ? 'events' : 'frames';
  }

  /**
   * The single sender. `pump` is cleared synchronously right after the
   * queue is seen empty, so a later publish always starts a new one.
   */
  private async drain(): Promise<void> {
    try {
      for (let frames = this.queue.shift(); frames !== undefined; frames = this.queue.shift()) {
        this.queuedChars -= frames[0].length + frames[1].length;
        const socket = this.socket;
        if (socket === null) break;
        try {
          await socket.send(frames);
        } catch (err) {
          if (!socket.closed) this.opts.log.warning(`${this.opts.label}: could not publish ${frames[0]}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      if (this.dropped > 0) {
        this.opts.log.warning(`${this.opts.label}: ${this.dropped} ${this.unit} were dropped`);
        this.dropped = 0;
      }
    } finally {
      this.pump = null;
    }
  }
}
