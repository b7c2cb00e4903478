/**
 * The control endpoint (spec/protocol.md 1.1-1.9): a ZeroMQ ROUTER bound on
 * `[circus] endpoint` that runs every request through the command registry
 * and sends the reply back to the requesting identity. One receive loop;
 * commands run concurrently; one send queue, since a zeromq.js socket
 * allows a single send in flight.
 */
import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { Router } from 'zeromq';
import { CircusConfig, CommandRegistry, ConfigPath, CorePlugin, errorMessage, EventBus, Logger } from '../../kernel/index';
import { curveServerSocketOptions, loadCurveServer } from '../../protocol/curve-server';
import { CommandAudit, transportOf } from './command-audit';
import { DiscoveryResponder, parseMulticastEndpoint } from './discovery';
import { ControlDispatcher } from './dispatcher';
import { routerLimits } from './limits';
import { ipcPath, removeIpcFile, secureIpcFile } from './endpoint-file';
import { ControlEndpointError } from './errors';

/**
 * The default of `[circus] max_request_size`: the largest request frame
 * accepted. A peer sending more is disconnected by libzmq before the
 * daemon reads a byte of it; real requests are a few KB.
 */
export const MAX_MESSAGE_SIZE = 1024 * 1024;

/** How long a closing endpoint may spend delivering replies already sent. */
const STOP_FLUSH_MS = 500;

/** Consecutive receive failures after which the loop gives up (a broken socket, not bad input). */
const MAX_RECEIVE_FAILURES = 100;

/** The core plugin `control`: resolved from its own child container by the PluginHost. */
@injectable()
export class ControlPlugin implements CorePlugin {
  private socket: Router | null = null;
  private loop: Promise<void> = Promise.resolve();
  private sendQueue: Promise<void> = Promise.resolve();
  private ipcFile: string | null = null;
  private discovery: DiscoveryResponder | null = null;
  private readonly dispatcher: ControlDispatcher;
  private audit: CommandAudit | null = null;

  constructor(
    @inject(CommandRegistry) registry: CommandRegistry,
    @inject(CircusConfig) private readonly config: CircusConfig,
    @inject(Logger) private readonly logger: Logger,
    @inject(EventBus) private readonly bus: EventBus,
    @inject(ConfigPath) private readonly configPath: string | null,
  ) {
    this.dispatcher = new ControlDispatcher(registry, logger, undefined, config.max_requests_per_client);
  }

  /**
   * Binds the ROUTER (an ipc socket file restricted to its owner), starts
   * the receive loop and, if configured, discovery. Rejects with
   * ControlEndpointError naming the endpoint when it cannot be served.
   */
  async start(): Promise<void> {
    const endpoint = this.config.endpoint;
    const curve = this.loadCurve();
    this.audit = new CommandAudit(this.bus, transportOf(endpoint), curve);
    // CURVE options before the bind: libzmq applies them to every peer that connects.
    const socket = new Router({ linger: 0, ...routerLimits(this.config), ...curveServerSocketOptions(curve) });
    try {
      await socket.bind(endpoint);
    } catch (err) {
      socket.close();
      throw new ControlEndpointError(`could not bind ${endpoint}: ${errorMessage(err)}`, { cause: err });
    }
    this.socket = socket;
    this.ipcFile = ipcPath(endpoint);
    try {
      if (this.ipcFile !== null) await secureIpcFile(this.ipcFile, this.config.endpoint_owner);
    } catch (err) {
      await this.stop();
      throw err;
    }
    if (this.ipcFile === null && this.config.endpoint_owner) {
      this.logger.debug(`endpoint_owner is ignored: ${endpoint} is not an ipc:// endpoint`);
    }
    this.loop = this.receiveLoop(socket);
    await this.startDiscovery();
    this.logger.debug(`control endpoint listening on ${endpoint}`);
  }

  /**
   * Closes the socket, removes the ipc file and stops discovery. Replies of
   * commands that have already finished still go out (a waited `quit` stops
   * this plugin right after its work is done, and its client expects the
   * answer); commands still running are not waited for.
   */
  async stop(): Promise<void> {
    await this.discovery?.stop();
    this.discovery = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      // Let replies whose work just settled reach the send queue (they are a
      // few promise turns behind), then send them and give ZeroMQ a moment
      // to flush before the close: with linger 0 it would drop them.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await this.sendQueue;
      socket.linger = STOP_FLUSH_MS;
      socket.close();
      await this.loop;
      await this.sendQueue;
    }
    if (this.ipcFile !== null) {
      try {
        removeIpcFile(this.ipcFile);
      } catch (err) {
        this.logger.warning(`could not remove the control socket file ${this.ipcFile}: ${errorMessage(err)}`);
      }
      this.ipcFile = null;
    }
  }

  private async receiveLoop(socket: Router): Promise<void> {
    let failures = 0;
    for (;;) {
      let frames: Buffer[];
      try {
        frames = await socket.receive();
        failures = 0;
      } catch (err) {
        if (socket.closed) return;
        this.logger.error(`control endpoint: receive failed: ${errorMessage(err)}`);
        if (++failures >= MAX_RECEIVE_FAILURES) {
          this.logger.critical(`control endpoint: giving up after ${failures} receive failures in a row`);
          return;
        }
        continue;
      }
      if (frames.length !== 2) {
        // A REQ client adds an empty delimiter (3 frames); Circus drops such messages (spec 1.2).
        this.logger.warning(`dropped a control message of ${frames.length} frames (expected identity and body)`);
        continue;
      }
      const [identity, body] = frames;
      const audited = this.audit?.begin(identity, body) ?? null;
      // Not awaited: a slow waited command must not hold up other clients.
      this.dispatcher
        .dispatch(body, identity)
        .then((reply) => {
          audited?.(reply);
          if (reply !== null) this.send(socket, identity, reply);
        })
        .catch((err: unknown) => this.logger.error(`control endpoint: a request was lost: ${errorMessage(err)}`));
    }
  }

  private send(socket: Router, identity: Buffer, reply: Buffer): void {
    this.sendQueue = this.sendQueue.then(async () => {
      // After stop() the reply has nowhere to go; a peer that left is dropped by ZeroMQ.
      if (socket.closed) return;
      try {
        await socket.send([identity, reply]);
      } catch (err) {
        if (!socket.closed) this.logger.warning(`control endpoint: could not send a reply: ${errorMessage(err)}`);
      }
    });
  }

  /** The CURVE keys (null: CURVE off); a bad key file is a ControlEndpointError naming the key and the file. */
  private loadCurve(): ReturnType<typeof loadCurveServer> {
    try {
      return loadCurveServer(this.config, this.configPath);
    } catch (err) {
      throw new ControlEndpointError(errorMessage(err), { cause: err });
    }
  }

  private async startDiscovery(): Promise<void> {
    const url = this.config.multicast_endpoint;
    if (!url) return;
    const target = parseMulticastEndpoint(url);
    if ('error' in target) {
      this.logger.warning(`multicast discovery is disabled: ${target.error}`);
      return;
    }
    const responder = new DiscoveryResponder(this.config.endpoint, this.logger);
    try {
      await responder.start({ address: '0.0.0.0', port: target.port, group: target.group });
      this.discovery = responder;
    } catch (err) {
      this.logger.warning(`multicast discovery is disabled: udp socket on ${url}: ${errorMessage(err)}`);
    }
  }
}
