/**
 * The pubsub endpoint (spec/protocol.md 4): a ZeroMQ PUB socket bound on
 * `[circus] pubsub_endpoint` that publishes every event of the kernel's bus
 * as the two frames Circus sends, `[watcher.<resname>.<event>, <json>]`.
 * This is the only place where bus events become wire topics (the mapping
 * itself is protocol/topics.ts). One send queue, since a zeromq.js socket
 * allows a single send in flight; PUB never blocks on a slow or absent
 * subscriber (ZeroMQ drops for it), so neither does the daemon.
 */
import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { Publisher } from 'zeromq';
import { AnyCircusEvent, CircusConfig, CorePlugin, Disposable, errorMessage, EventBus, Logger } from '../../kernel/index';
import { ipcPath, removeIpcFile } from '../../protocol/ipc-file';
import { encodeEvent, isWireEvent } from '../../protocol/topics';
import { securePubsubFile } from './endpoint-file';
import { PubsubEndpointError } from './errors';

/**
 * Events waiting for the socket beyond this are dropped (and counted): the
 * socket itself never blocks, so only a stalled event loop fills the queue,
 * and memory must not grow without bound then.
 */
export const MAX_QUEUED_EVENTS = 10_000;

/** How long a closing endpoint may spend delivering the last events (a quit's `stop`s). */
const STOP_FLUSH_MS = 500;

/** The core plugin `pubsub`: resolved from its own child container by the PluginHost. */
@injectable()
export class PubsubPlugin implements CorePlugin {
  private socket: Publisher | null = null;
  private subscription: Disposable | null = null;
  private ipcFile: string | null = null;
  private readonly queue: [string, string][] = [];
  private pump: Promise<void> | null = null;
  private dropped = 0;

  constructor(
    @inject(EventBus) private readonly bus: EventBus,
    @inject(CircusConfig) private readonly config: CircusConfig,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /**
   * Binds the PUB socket (an ipc socket file restricted to its owner) and
   * starts forwarding bus events. Rejects with PubsubEndpointError naming
   * the endpoint when it cannot be served.
   */
  async start(): Promise<void> {
    const endpoint = this.config.pubsub_endpoint;
    const socket = new Publisher({ linger: 0 });
    try {
      await socket.bind(endpoint);
    } catch (err) {
      socket.close();
      throw new PubsubEndpointError(`could not bind pubsub_endpoint ${endpoint}: ${errorMessage(err)}`, { cause: err });
    }
    this.socket = socket;
    this.ipcFile = ipcPath(endpoint);
    try {
      if (this.ipcFile !== null) await securePubsubFile(this.ipcFile, this.config.endpoint_owner);
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.subscription = this.bus.onAny((event) => this.publish(event));
    this.logger.debug(`pubsub endpoint publishing on ${endpoint}`);
  }

  /**
   * Stops forwarding, sends what is queued (the events of a quit come just
   * before this), closes the socket and removes the ipc file.
   */
  async stop(): Promise<void> {
    this.subscription?.dispose();
    this.subscription = null;
    // The pump still sees the socket: what the bus emitted before this is sent.
    await this.pump;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      // With linger 0 the close would drop what ZeroMQ has not written yet.
      socket.linger = STOP_FLUSH_MS;
      socket.close();
    }
    this.queue.length = 0;
    if (this.ipcFile !== null) {
      try {
        removeIpcFile(this.ipcFile);
      } catch (err) {
        this.logger.warning(`could not remove the pubsub socket file ${this.ipcFile}: ${errorMessage(err)}`);
      }
      this.ipcFile = null;
    }
  }

  /** Called synchronously by the bus: encode, queue, and make sure the pump runs. */
  private publish(event: AnyCircusEvent): void {
    if (!isWireEvent(event.name)) return;
    let frames: [string, string];
    try {
      frames = encodeEvent(event);
    } catch (err) {
      this.logger.error(`pubsub: could not encode the '${event.name}' event of '${event.watcher}': ${errorMessage(err)}`);
      return;
    }
    if (this.queue.length >= MAX_QUEUED_EVENTS) {
      if (this.dropped++ === 0) this.logger.warning(`pubsub: more than ${MAX_QUEUED_EVENTS} events waiting; dropping new ones`);
      return;
    }
    this.queue.push(frames);
    if (this.pump === null) this.pump = this.drain();
  }

  /**
   * The single sender: one send in flight, in bus order. `pump` is cleared
   * synchronously right after the queue is seen empty, so a later publish
   * always finds it null and starts a new pump (the socket exists for as
   * long as the bus subscription does).
   */
  private async drain(): Promise<void> {
    try {
      for (let frames = this.queue.shift(); frames !== undefined; frames = this.queue.shift()) {
        const socket = this.socket;
        if (socket === null) break;
        try {
          await socket.send(frames);
        } catch (err) {
          if (!socket.closed) this.logger.warning(`pubsub: could not publish ${frames[0]}: ${errorMessage(err)}`);
        }
      }
      if (this.dropped > 0) {
        this.logger.warning(`pubsub: ${this.dropped} events were dropped`);
        this.dropped = 0;
      }
    } finally {
      this.pump = null;
    }
  }
}
