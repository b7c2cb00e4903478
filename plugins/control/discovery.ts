/**
 * Multicast discovery (spec/protocol.md 1.9): answers any UDP datagram with
 * `{"endpoint": "<control endpoint>"}`, sent back to the sender. Off unless
 * `[circus] multicast_endpoint` is set (quirk Q40: Circus joins a group on
 * every interface and tells anyone where its unauthenticated endpoint is).
 */
import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import { isIPv4 } from 'node:net';
import { errorMessage, Logger } from '../../kernel/index';
import { pyJson } from '../../protocol/py-json';

/** A parsed multicast endpoint, or why it cannot be used. */
export type MulticastTarget = { readonly group: string; readonly port: number } | { readonly error: string };

/**
 * Parses `udp://HOST:PORT` as Circus does (the scheme is not checked); the
 * host must be an IPv4 address whose first octet is 224..239.
 */
export function parseMulticastEndpoint(url: string): MulticastTarget {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/:]*):([^/:]*)\/?$/.exec(url);
  if (!m) return { error: `'${url}' is not of the form udp://HOST:PORT` };
  const [, group, portText] = m;
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) return { error: `'${portText}' is not a valid port in '${url}'` };
  if (!isIPv4(group)) return { error: `'${group}' is not an IPv4 address in '${url}'` };
  const first = Number(group.split('.')[0]);
  if (first < 224 || first > 239) return { error: `'${group}' is not a multicast address (224.0.0.0 to 239.255.255.255)` };
  return { group, port };
}

/** Where a {@link DiscoveryResponder} listens. */
export interface DiscoveryBinding {
  /** Local address: `0.0.0.0` in circusd; a loopback address in tests. */
  readonly address: string;
  /** UDP port; 0 picks a free one (tests). */
  readonly port: number;
  /** Multicast group to join, or null to join none (tests never join one). */
  readonly group: string | null;
}

/** The UDP socket that tells callers the control endpoint. start() does the I/O. */
export class DiscoveryResponder {
  private socket: Socket | null = null;

  constructor(
    private readonly endpoint: string,
    private readonly logger: Logger,
  ) {}

  /** The bound UDP port (after start). */
  get port(): number {
    if (!this.socket) throw new Error('the discovery socket is not bound');
    return this.socket.address().port;
  }

  /** Binds (SO_REUSEADDR), joins the group if one is given; rejects with the socket error. */
  async start(binding: DiscoveryBinding): Promise<void> {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(binding.port, binding.address, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      if (binding.group !== null) {
        socket.setMulticastTTL(255);
        socket.addMembership(binding.group);
      }
    } catch (err) {
      socket.close();
      throw err;
    }
    socket.on('message', (_msg, sender) => this.answer(socket, sender));
    // After start a socket error only costs discovery, never circusd.
    socket.on('error', (err) => this.logger.warning(`multicast discovery: ${errorMessage(err)}`));
    this.socket = socket;
  }

  private answer(socket: Socket, sender: RemoteInfo): void {
    // The datagram's content is ignored, as in Circus.
    if (this.socket !== socket) return;
    const reply = Buffer.from(pyJson({ endpoint: this.endpoint }), 'utf8');
    const failed = (err: unknown): void =>
      this.logger.warning(`multicast discovery: could not answer ${sender.address}:${sender.port}: ${errorMessage(err)}`);
    try {
      socket.send(reply, sender.port, sender.address, (err) => err && failed(err));
    } catch (err) {
      failed(err);
    }
  }

  /** Closes the socket; resolves once it is closed. Idempotent. */
  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
