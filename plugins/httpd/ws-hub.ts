/**
 * The panel's websocket `/ws` (panel contract): the server says
 * `{"type":"hello","daemons":[...]}`, then one `state` per daemon, then
 * every PanelMessage of every daemon as it comes (`output` only to the
 * clients tailing that watcher). A client sends
 * `{"type":"tail","daemon":"<id>","watcher":"<name>"|null}`. Each message is
 * serialized once for all clients. A client whose unsent data passes
 * `maxBufferedBytes` (a slow or stalled browser) is dropped: the daemon
 * never buffers for it without bound. Dead connections are found by ping.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { type Disposable, errorMessage, type Logger } from '../../kernel/index';
import type { PanelDaemon, PanelMessage } from './panel-daemon';

/** Settings of {@link WsHub}. */
export interface WsHubOptions {
  /** Unsent bytes allowed per client before it is dropped (default 4 MiB). */
  readonly maxBufferedBytes?: number;
  /** Interval of the liveness ping, in ms (default 30 s); a client that missed one pong is closed. */
  readonly pingMs?: number;
  /** Websocket clients at most (default 256); more are refused 503. */
  readonly maxClients?: number;
}

/** Largest message a client may send (a tail request is a few dozen bytes). */
const MAX_CLIENT_MESSAGE = 64 * 1024;

interface Client {
  readonly ws: WebSocket;
  /** The session the upgrade came with (closed at its logout), or null (Bearer, no-login panel). */
  readonly sessionId: string | null;
  tailDaemon: string | null;
  /** Normalized like the output topic: lower-cased, spaces as `_`. */
  tailWatcher: string | null;
  alive: boolean;
}

/** The watcher part of an `output.<watcher>.<stream>` topic for a watcher name. */
function topicName(watcher: string): string {
  return watcher.toLowerCase().replace(/ /g, '_');
}

/** Fan-out of the daemons' messages to the panel's websocket clients. */
export class WsHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE, clientTracking: false });
  private readonly clients = new Set<Client>();
  private readonly subscriptions: Disposable[] = [];
  private pinger: NodeJS.Timeout | null = null;
  private readonly maxBuffered: number;
  private readonly pingMs: number;
  private readonly maxClients: number;

  constructor(
    private readonly daemons: readonly PanelDaemon[],
    private readonly logger: Logger,
    options: WsHubOptions = {},
  ) {
    this.maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.pingMs = options.pingMs ?? 30_000;
    this.maxClients = options.maxClients ?? 256;
  }

  /** True when no more client may connect (the upgrade is refused 503). */
  get full(): boolean {
    return this.clients.size >= this.maxClients;
  }

  /** Connected clients. */
  get size(): number {
    return this.clients.size;
  }

  /** Subscribes to every daemon and starts the liveness ping. */
  start(): void {
    for (const daemon of this.daemons) this.subscriptions.push(daemon.onMessage((m) => this.broadcast(m)));
    this.pinger = setInterval(() => this.ping(), this.pingMs);
    this.pinger.unref();
  }

  /** Completes an upgrade the server has already authorized. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, sessionId: string | null): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, sessionId));
  }

  /** Closes the websockets opened with a session (at its logout). */
  closeSession(sessionId: string): void {
    for (const client of this.clients) {
      if (client.sessionId === sessionId) client.ws.close(1008, 'logged out');
    }
  }

  /** Closes every client and drops the subscriptions. */
  close(): void {
    if (this.pinger) clearInterval(this.pinger);
    this.pinger = null;
    for (const s of this.subscriptions.splice(0)) s.dispose();
    for (const client of this.clients) client.ws.terminate();
    this.clients.clear();
    this.wss.close();
  }

  private connected(ws: WebSocket, sessionId: string | null): void {
    const client: Client = { ws, sessionId, tailDaemon: null, tailWatcher: null, alive: true };
    this.clients.add(client);
    ws.on('pong', () => (client.alive = true));
    ws.on('message', (data, isBinary) => this.received(client, data, isBinary));
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', (err) => {
      this.logger.debug(`websocket client error: ${errorMessage(err)}`);
      this.clients.delete(client);
      ws.terminate();
    });
    this.send(client, JSON.stringify({ type: 'hello', daemons: this.daemons.map((d) => d.info()) }));
    for (const daemon of this.daemons) this.send(client, JSON.stringify({ type: 'state', daemon: daemon.id, watchers: daemon.state() }));
  }

  private received(client: Client, data: RawData, isBinary: boolean): void {
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      message = undefined;
    }
    const m = message as { type?: unknown; daemon?: unknown; watcher?: unknown } | undefined;
    if (m?.type !== 'tail' || typeof m.daemon !== 'string' || !(typeof m.watcher === 'string' || m.watcher === null)) {
      this.logger.debug('websocket client sent something other than {"type":"tail","daemon":ID,"watcher":NAME|null}: ignored');
      return;
    }
    if (m.watcher === null) {
      client.tailDaemon = null;
      client.tailWatcher = null;
      return;
    }
    if (!this.daemons.some((d) => d.id === m.daemon)) {
      this.logger.debug(`websocket client asked to tail on unknown daemon '${m.daemon}': ignored`);
      return;
    }
    client.tailDaemon = m.daemon;
    client.tailWatcher = topicName(m.watcher);
  }

  /** Sends one daemon message to every client that wants it. */
  broadcast(message: PanelMessage): void {
    if (this.clients.size === 0) return;
    const text = JSON.stringify(message);
    for (const client of this.clients) {
      if (message.type === 'output' && (client.tailDaemon !== message.daemon || client.tailWatcher !== topicName(message.watcher))) continue;
      this.send(client, text);
    }
  }

  private send(client: Client, text: string): void {
    const { ws } = client;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount + text.length > this.maxBuffered) {
      this.logger.warning(`dropping a websocket client: over ${this.maxBuffered} bytes waiting to be sent (a stalled browser)`);
      this.clients.delete(client);
      ws.terminate();
      return;
    }
    ws.send(text);
  }

  private ping(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        this.clients.delete(client);
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }
}
