/**
 * The web panel over a list of daemons: one HTTP server (node:http) with
 * the router and the websocket hub, listening on a host and port or on a
 * descriptor circusd bound (the `circushttpd` circus socket). Used by the
 * in-process `circushttpd` facade (one daemon) and by the standalone
 * `circushttpd` command (a fleet).
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { errorMessage, type Logger } from '../../kernel/index';
import { PanelAuth } from './auth';
import { HttpdConfigError, HttpdListenError } from './errors';
import { hostPort } from './http-io';
import { PanelRouter } from './http-server';
import { LoginThrottle, type LoginThrottleOptions } from './login-throttle';
import type { PanelDaemon } from './panel-daemon';
import { PasswordVerifier } from './password';
import { HostPolicy } from './security';
import { SessionStore, type SessionStoreOptions } from './sessions';
import { StaticAssets } from './static-assets';
import { WsHub, type WsHubOptions } from './ws-hub';

/** Options of {@link PanelServer}. */
export interface PanelServerOptions {
  /** The daemons shown, in page order; the first answers `/api/commands/...`. */
  readonly daemons: readonly PanelDaemon[];
  /** `scrypt$N$r$p$salt$hash`, or null for a panel without login (loopback only: the caller checks). */
  readonly passwordHash: string | null;
  /** The configured listening host: accepted in the Host header beside loopback names. */
  readonly host: string;
  /** Extra Host header names (a reverse proxy's public name). */
  readonly allowedHosts?: readonly string[];
  /** Mark the session cookie Secure (TLS in front). */
  readonly secureCookie?: boolean;
  /** The assets folder (tests); defaults to plugins/httpd/assets. */
  readonly assetsDir?: string;
  readonly sessions?: SessionStoreOptions;
  readonly throttle?: LoginThrottleOptions;
  readonly websocket?: WsHubOptions;
}

/** Where to listen: a host and port, or an already bound and listening descriptor. */
export type ListenTarget = { readonly host: string; readonly port: number } | { readonly fd: number; readonly display: string };

/** One running (or ready to run) panel. */
export class PanelServer {
  private readonly server: Server;
  private readonly hub: WsHub;
  private readonly connections = new Set<Socket>();
  private listening = false;

  /** Throws HttpdConfigError for a malformed password hash or no daemon. */
  constructor(
    private readonly options: PanelServerOptions,
    private readonly logger: Logger,
  ) {
    if (options.daemons.length === 0) throw new HttpdConfigError('the panel needs at least one daemon to show');
    const verifier = options.passwordHash === null ? null : new PasswordVerifier(options.passwordHash);
    const auth = new PanelAuth(verifier, new SessionStore(options.sessions), new LoginThrottle(options.throttle));
    this.hub = new WsHub(options.daemons, logger, options.websocket);
    const router = new PanelRouter({
      daemons: options.daemons,
      auth,
      hosts: new HostPolicy(options.host, options.allowedHosts ?? []),
      assets: new StaticAssets(options.assetsDir),
      hub: this.hub,
      secureCookie: options.secureCookie ?? false,
      logger,
    });
    this.server = createServer((req, res) => router.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => router.upgrade(req, socket, head));
    this.server.on('connection', (socket: Socket) => {
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
    });
    this.server.on('clientError', (err, socket) => {
      this.logger.debug(`bad HTTP request: ${errorMessage(err)}`);
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    // Headers and body must arrive in time: a slow client cannot hold sockets open forever.
    this.server.headersTimeout = 20_000;
    this.server.requestTimeout = 60_000;
  }

  /** The number of websocket clients (tests, bench). */
  get websocketClients(): number {
    return this.hub.size;
  }

  /**
   * Starts listening. Resolves with the bound port; rejects with
   * HttpdListenError naming host:port (address in use, no permission).
   * With a descriptor, the server takes ownership of it (pass a duplicate).
   */
  async listen(target: ListenTarget): Promise<number> {
    const display = 'fd' in target ? target.display : hostPort(target.host.replace(/^\[(.*)\]$/, '$1'), target.port);
    await new Promise<void>((resolve, reject) => {
      const failed = (err: NodeJS.ErrnoException): void => {
        const why = err.code === 'EADDRINUSE' ? 'the address is already in use' : errorMessage(err);
        reject(new HttpdListenError(`the web panel cannot listen on ${display}: ${why}`, { cause: err }));
      };
      this.server.once('error', failed);
      const done = (): void => {
        this.server.off('error', failed);
        resolve();
      };
      if ('fd' in target) this.server.listen({ fd: target.fd }, done);
      else this.server.listen({ host: target.host.replace(/^\[(.*)\]$/, '$1'), port: target.port }, done);
    });
    this.listening = true;
    this.server.on('error', (err) => this.logger.error(`web panel server: ${errorMessage(err)}`));
    this.hub.start();
    const address = this.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    this.logger.info(`web panel listening on ${'fd' in target ? display : `http://${hostPort(target.host.replace(/^\[(.*)\]$/, '$1'), port)}`}`);
    return port;
  }

  /** Closes the websockets, every connection and the listener. Idempotent. */
  async close(): Promise<void> {
    this.hub.close();
    if (!this.listening) return;
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
    await closed;
  }
}
