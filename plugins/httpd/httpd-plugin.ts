/**
 * The in-process web panel of circusd (spec/daemon.md 6.5): what the
 * `circushttpd` facade runs when `[circus] httpd` is true. One
 * DaemonBridge to the daemon's own control endpoint (so the panel speaks
 * the same wire as against any circusd), one PanelServer listening on the
 * `circushttpd` circus socket when circusd bound it (as Circus hands that
 * socket to circus-web), else on httpd_host:httpd_port itself.
 */
import 'reflect-metadata';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { inject, injectable } from 'tsyringe';
import { Arbiter, type CircusPlugin, CircusConfig, ConfigPath, isLoopbackHost, Logger } from '../../kernel/index';
import { type ClientCurve, readKeyPair } from '../../protocol/curve';
import { connectableEndpoint, DaemonBridge } from './bridge/index';
import { HttpdConfigError } from './errors';
import { hostPort } from './http-io';
import { type ListenTarget, PanelServer } from './panel-server';

/** The facade (and circus socket) name Circus gives the web console (spec/daemon.md 6.5). */
export const HTTPD_FACADE_NAME = 'circushttpd';

/** The id of the panel's only daemon in URLs (`/api/daemons/local/...`). */
export const LOCAL_DAEMON_ID = 'local';

/** The web panel plugin (resolved by the circushttpd facade). */
@injectable()
export class HttpdPlugin implements CircusPlugin {
  private bridge: DaemonBridge | null = null;
  private server: PanelServer | null = null;

  constructor(
    @inject(Arbiter) private readonly arbiter: Arbiter,
    @inject(CircusConfig) private readonly config: CircusConfig,
    @inject(Logger) private readonly logger: Logger,
    // Optional so the plugin can be built by hand (tests) without a config file.
    @inject(ConfigPath) private readonly configPath: string | null = null,
  ) {}

  /**
   * Connects the bridge and starts listening. Rejects with
   * HttpdConfigError (beyond loopback without a password hash) or
   * HttpdListenError naming httpd_host:httpd_port.
   */
  async start(): Promise<void> {
    const { httpd_host: host, httpd_port: port, httpd_password_hash: hash } = this.config;
    if (hash === null && !isLoopbackHost(host)) {
      // The config loader refuses this too; an embedder's hand-made config must not slip through.
      throw new HttpdConfigError(`the web panel would listen on ${host}, beyond loopback, without a login: set httpd_password_hash`);
    }
    const endpoint = connectableEndpoint(this.config.endpoint, this.config.endpoint);
    const bridge = new DaemonBridge({ id: LOCAL_DAEMON_ID, label: hostname(), endpoint, curve: this.ownCurve() }, this.logger.child('bridge'));
    const server = new PanelServer(
      {
        daemons: [bridge],
        passwordHash: hash,
        host,
        allowedHosts: this.config.httpd_allowed_hosts,
        secureCookie: this.config.httpd_secure_cookie,
      },
      this.logger,
    );
    this.bridge = bridge;
    this.server = server;
    try {
      await server.listen(this.listenTarget(host, port));
      // Not awaited: the page says "connecting" until the bridge has read the daemon, and a slow
      // control endpoint must not hold the facade's start. start() never rejects.
      void bridge.start();
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** Closes the server (websockets, connections) and the bridge's sockets. */
  async stop(): Promise<void> {
    const { server, bridge } = this;
    this.server = null;
    this.bridge = null;
    await server?.close();
    await bridge?.stop();
  }

  /**
   * With `[circus] curve_secret_key` the daemon's endpoints speak CURVE and
   * its own public key is always authorized: the panel connects with the
   * server's key pair (the file was already read at load, so an error here
   * means it changed since; it names the file).
   */
  private ownCurve(): ClientCurve | undefined {
    const file = this.config.curve_secret_key;
    // `!file`: a hand-made config object may lack the key altogether.
    if (!file) return undefined;
    const base = this.configPath ? path.dirname(path.resolve(this.configPath)) : process.cwd();
    const keys = readKeyPair(path.resolve(base, file));
    return { serverKey: keys.publicKey, keys };
  }

  private listenTarget(host: string, port: number): ListenTarget {
    const socket = this.arbiter.sockets.get(HTTPD_FACADE_NAME);
    if (socket === undefined || !socket.bound) return { host, port };
    // A copy of circusd's descriptor: the server closes its own at stop, circusd's stays for listsockets and children.
    return { fd: socket.duplicate(), display: `${hostPort(socket.host ?? host, socket.port ?? port)} (circus socket ${HTTPD_FACADE_NAME})` };
  }
}
