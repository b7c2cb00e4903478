/**
 * The DEALER client of the Circus control channel (spec/protocol.md 1.2-1.6),
 * shared by circusctl and any other client. One frame per request, no
 * delimiter; replies are matched by `id`, anything else is discarded.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Dealer } from 'zeromq';
import type { ClientCurve } from './curve';

/** A call failed on the client side: timeout, undecodable reply, socket error. */
export class CallError extends Error {
  /** Stable identifier (protocol/ cannot import the kernel's CircusError family). */
  readonly code = 'E_CALL';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CallError';
  }
}

/** Options of {@link CircusClient}. */
export interface CircusClientOptions {
  /** The control endpoint (`tcp://...` or `ipc://...`). */
  readonly endpoint: string;
  /** Seconds to wait for each reply (restarted by every foreign reply, as Circus does); default 5. */
  readonly timeout?: number;
  /**
   * The DEALER identity; default `curve:<public key>:<16 hex>` with {@link curve}
   * (the audit's binding of a request to a key), else a fresh uuid4 in 32
   * lowercase hex characters.
   */
  readonly routingId?: string;
  /** Speak CURVE: the server's public key and this client's key pair (off when absent). */
  readonly curve?: ClientCurve;
  /** Turns a request object into the frame's text; default JSON.stringify. */
  readonly encode?: (request: Record<string, unknown>) => string;
  /** Turns a reply frame into an object; default JSON.parse. */
  readonly decode?: (text: string) => unknown;
}

/** Options of one call. */
export interface CallOptions {
  /** Fire and forget: adds `msg_type: "cast"`; the promise resolves with `{}` once sent. */
  readonly cast?: boolean;
}

interface Pending {
  resolve(reply: Record<string, unknown>): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
}

/** uuid4 as Python's `uuid4().hex`: 32 lowercase hex characters. */
export function uuidHex(): string {
  return randomUUID().replace(/-/g, '');
}

/**
 * The routing id our clients take with a key pair:
 * `curve:<public key Z85>:<16 hex>` (63 bytes). The key part is the audit's
 * binding of a request to a key; the random part keeps two clients of one
 * key (a shell and a plugin, the panel's two slots) apart, since a ROUTER
 * drops a second connection whose routing id is already in use.
 */
export function curveRoutingId(curve: ClientCurve): string {
  return `curve:${curve.keys.publicKey}:${randomBytes(8).toString('hex')}`;
}

/**
 * The zeromq client socket options for CURVE (none without it). A peer
 * that fails the handshake never gets a reply: zeromq retries silently, so
 * the caller's timeout is what tells a refused key.
 */
export function curveSocketOptions(curve: ClientCurve | undefined): { curveServerKey?: string; curvePublicKey?: string; curveSecretKey?: string } {
  if (curve === undefined) return {};
  return { curveServerKey: curve.serverKey, curvePublicKey: curve.keys.publicKey, curveSecretKey: curve.keys.secretKey };
}

/**
 * A Circus control client. Calls may run concurrently: sends go through one
 * queue (zeromq allows one send in flight) and one receive loop hands each
 * reply to the call whose id it carries.
 */
export class CircusClient {
  readonly endpoint: string;
  readonly timeoutMs: number;
  readonly routingId: string;
  private readonly curve: ClientCurve | undefined;
  private readonly encode: (request: Record<string, unknown>) => string;
  private readonly decode: (text: string) => unknown;
  private socket: Dealer | undefined;
  private sendQueue: Promise<void> = Promise.resolve();
  private readonly pending = new Map<string, Pending>();
  private closed = false;

  constructor(opts: CircusClientOptions) {
    this.endpoint = opts.endpoint;
    this.timeoutMs = (opts.timeout ?? 5) * 1000;
    this.curve = opts.curve;
    this.routingId = opts.routingId ?? (opts.curve !== undefined ? curveRoutingId(opts.curve) : uuidHex());
    this.encode = opts.encode ?? ((r) => JSON.stringify(r));
    this.decode = opts.decode ?? ((t) => JSON.parse(t) as unknown);
  }

  /**
   * Connects the DEALER now (it is otherwise connected by the first call).
   * Throws the zeromq error for an endpoint it refuses (e.g. an unknown transport).
   */
  connect(): void {
    if (this.socket !== undefined) return;
    if (this.closed) throw new CallError('client closed');
    const socket = new Dealer({ routingId: this.routingId, linger: 0, ...curveSocketOptions(this.curve) });
    try {
      socket.connect(this.endpoint);
    } catch (error) {
      socket.close();
      throw error;
    }
    this.socket = socket;
    void this.receiveLoop(socket);
  }

  /**
   * Sends `{command, (msg_type), properties, id}` and resolves with the reply
   * carrying the same id. Rejects with a {@link CallError} `Timed out.` when
   * no reply comes within the timeout.
   */
  call(command: string, properties: Record<string, unknown> = {}, opts: CallOptions = {}): Promise<Record<string, unknown>> {
    const id = uuidHex();
    const request: Record<string, unknown> = opts.cast
      ? { command, msg_type: 'cast', properties, id }
      : { command, properties, id };
    let body: string;
    try {
      body = this.encode(request);
      this.connect();
    } catch (error) {
      return Promise.reject(error instanceof CallError ? error : new CallError(messageOf(error), { cause: error }));
    }
    if (opts.cast) return this.send(body).then(() => ({}));
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const entry: Pending = { resolve, reject, timer: undefined };
      this.pending.set(id, entry);
      this.arm(id, entry);
      this.send(body).catch((error: unknown) => this.settle(id, undefined, new CallError(messageOf(error), { cause: error })));
    });
  }

  /** Closes the socket; calls still waiting reject with `client closed`. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const [id] of this.pending) this.settle(id, undefined, new CallError('client closed'));
    this.socket?.close();
  }

  private send(body: string): Promise<void> {
    const socket = this.socket as Dealer;
    const next = this.sendQueue.then(() => socket.send(body));
    // The queue itself never rejects, so one failed send does not poison the next.
    this.sendQueue = next.catch(() => undefined);
    return next;
  }

  private arm(id: string, entry: Pending): void {
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => this.settle(id, undefined, new CallError('Timed out.')), this.timeoutMs);
  }

  private settle(id: string, reply: Record<string, unknown> | undefined, error?: Error): void {
    const entry = this.pending.get(id);
    if (entry === undefined) return;
    this.pending.delete(id);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    if (error !== undefined) entry.reject(error);
    else entry.resolve(reply as Record<string, unknown>);
  }

  private async receiveLoop(socket: Dealer): Promise<void> {
    try {
      for await (const frames of socket) {
        this.dispatch(frames[0] ?? Buffer.alloc(0));
      }
    } catch (error) {
      // The socket failed under us: every waiting call learns why.
      for (const [id] of this.pending) this.settle(id, undefined, new CallError(messageOf(error), { cause: error }));
    }
  }

  private dispatch(frame: Buffer): void {
    let reply: unknown;
    try {
      reply = this.decode(frame.toString('utf8'));
    } catch (error) {
      // Circus's client raises the decoder's message to the caller waiting.
      for (const [id] of this.pending) this.settle(id, undefined, new CallError(messageOf(error), { cause: error }));
      return;
    }
    const id = reply !== null && typeof reply === 'object' && !Array.isArray(reply) ? (reply as Record<string, unknown>).id : undefined;
    const match = typeof id === 'string' ? this.pending.get(id) : undefined;
    if (match !== undefined) {
      this.settle(id as string, reply as Record<string, unknown>);
    }
    // A foreign reply restarts the wait of every other call with a fresh
    // full timeout, as CircusClient.call's poll loop does (spec 1.5).
    for (const [otherId, entry] of this.pending) this.arm(otherId, entry);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
