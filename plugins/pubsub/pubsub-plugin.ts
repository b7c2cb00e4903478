/**
 * The pubsub endpoint (spec/protocol.md 4): a ZeroMQ PUB socket bound on
 * `[circus] pubsub_endpoint` that publishes every event of the kernel's bus
 * as the two frames Circus sends, `[watcher.<resname>.<event>, <json>]`.
 * This is the only place where bus events become wire topics (the mapping
 * itself is protocol/topics.ts). One send queue, since a zeromq.js socket
 * allows a single send in flight; PUB never blocks on a slow or absent
 * subscriber (ZeroMQ drops for it), so neither does the daemon. With
 * `publish_output` the captured child output goes out on the same socket
 * under `output.` (output-forwarder.ts).
 */
import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { AnyCircusEvent, CircusConfig, ConfigPath, CorePlugin, Disposable, errorMessage, EventBus, Logger, OutputTap, resolveUser } from '../../kernel/index';
import { curveServerSocketOptions, loadCurveServer } from '../../protocol/curve-server';
import { QueuedPublisher } from '../../protocol/queued-publisher';
import { encodeEvent, isWireEvent } from '../../protocol/topics';
import { PubsubEndpointError } from './errors';
import { OutputForwarder } from './output-forwarder';

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
  private publisher: QueuedPublisher | null = null;
  private subscription: Disposable | null = null;
  private output: OutputForwarder | null = null;

  constructor(
    @inject(EventBus) private readonly bus: EventBus,
    @inject(CircusConfig) private readonly config: CircusConfig,
    @inject(Logger) private readonly logger: Logger,
    @inject(OutputTap) private readonly outputs: OutputTap,
    @inject(ConfigPath) private readonly configPath: string | null,
  ) {}

  /**
   * Binds the PUB socket (an ipc socket file restricted to its owner) and
   * starts forwarding bus events, and child output with `publish_output`.
   * Rejects with PubsubEndpointError naming the endpoint when it cannot be
   * served.
   */
  async start(): Promise<void> {
    const endpoint = this.config.pubsub_endpoint;
    try {
      // A bad key file is reported by the zap plugin first; this only keeps the endpoint from binding without CURVE.
      const curve = loadCurveServer(this.config, this.configPath);
      this.publisher = await QueuedPublisher.bind({
        endpoint,
        key: 'pubsub_endpoint',
        label: 'pubsub',
        owner: this.config.endpoint_owner,
        resolveUid: async (name) => (await resolveUser(name)).uid,
        maxQueued: MAX_QUEUED_EVENTS,
        log: this.logger,
        socketOptions: curveServerSocketOptions(curve),
        flushMs: STOP_FLUSH_MS,
      });
    } catch (err) {
      throw new PubsubEndpointError(errorMessage(err), { cause: err });
    }
    this.subscription = this.bus.onAny((event) => this.publish(event));
    if (this.config.publish_output) {
      // Taken before any watcher starts (core plugins come first): the tap sees every child.
      this.output = new OutputForwarder(this.publisher, this.logger);
      this.output.start(this.outputs);
    }
    this.logger.debug(`pubsub endpoint publishing on ${endpoint}`);
  }

  /**
   * Stops forwarding, sends what is queued (the events of a quit come just
   * before this), closes the socket and removes the ipc file.
   */
  async stop(): Promise<void> {
    this.subscription?.dispose();
    this.subscription = null;
    this.output?.stop();
    this.output = null;
    const publisher = this.publisher;
    this.publisher = null;
    await publisher?.close();
  }

  /** Called synchronously by the bus: encode and queue, in bus order. */
  private publish(event: AnyCircusEvent): void {
    if (!isWireEvent(event.name) || this.publisher === null) return;
    let frames: [string, string];
    try {
      frames = encodeEvent(event);
    } catch (err) {
      this.logger.error(`pubsub: could not encode the '${event.name}' event of '${event.watcher}': ${errorMessage(err)}`);
      return;
    }
    this.publisher.publish([frames]);
  }
}
