/**
 * The bounds a hostile or broken client of the control endpoint cannot get
 * past (issue 9, docs/control.md "Limits"): the size of one request frame,
 * the number of its requests in flight at once, and the number of replies
 * circusd holds for it when it does not read them.
 */
import type { CircusConfig } from '../../kernel/index';
import type { ReplyError } from '../../protocol/codec';
import { Errno } from '../../protocol/errno';

/** The ROUTER options that enforce the limits of `[circus]`. */
export interface RouterLimits {
  /** libzmq disconnects a peer whose frame is larger, before circusd reads a byte of it. */
  readonly maxMessageSize: number;
  /**
   * Replies queued per client: beyond it libzmq drops them (mandatory off)
   * instead of circusd keeping them, so a client that never reads costs a
   * bounded amount of memory.
   */
  readonly sendHighWaterMark: number;
  /**
   * Requests libzmq reads ahead per client before circusd takes them: a
   * client sending faster than circusd reads is held back by the transport
   * (its own send queue fills), not buffered in circusd.
   */
  readonly receiveHighWaterMark: number;
  /** Off: a full or unknown peer drops the reply; on, a send would wait and stall every client. */
  readonly mandatory: false;
}

/**
 * The ROUTER options for a configuration. The reply queue holds twice as
 * many replies as a client may have requests in flight: libzmq learns that
 * the peer took replies only now and then (every half queue or so), so a
 * queue of exactly that many could drop a reply of a client that reads
 * them all; one that does not read loses the surplus. The read-ahead queue
 * holds max_requests_per_client requests, so what one client can make
 * circusd hold is about 3 x max_requests_per_client x max_request_size,
 * whatever it sends.
 */
export function routerLimits(config: Pick<CircusConfig, 'max_request_size' | 'max_requests_per_client'>): RouterLimits {
  const perClient = config.max_requests_per_client;
  return { maxMessageSize: config.max_request_size, sendHighWaterMark: 2 * perClient, receiveHighWaterMark: perClient, mandatory: false };
}

/** The longest error reason sent; a longer one keeps its head and tail (the message is at the end). */
export const MAX_REASON_LENGTH = 4096;

/**
 * Cuts an error reason that echoes a huge request (`unknown command:
 * '<repr>'`, errno 5's `command b'...'`) so a reply is never several times
 * the size of the request that caused it.
 */
export function capReason(error: ReplyError): ReplyError {
  const reason = error.reason;
  if (reason.length <= MAX_REASON_LENGTH) return error;
  const half = MAX_REASON_LENGTH / 2;
  const cut = reason.length - MAX_REASON_LENGTH;
  return { ...error, reason: `${reason.slice(0, half)}[... ${cut} characters cut ...]${reason.slice(-half)}` };
}

/** The errno-5 answer of a request beyond `max_requests_per_client` (tb null, like a busy lock). */
export function tooManyRequests(max: number): ReplyError {
  return {
    errno: Errno.COMMAND_ERROR,
    reason: `too many requests in flight from this client (max_requests_per_client = ${max})`,
    tb: null,
  };
}

/**
 * Requests in flight per client routing id. A client enters when its
 * request is accepted and leaves when the reply is ready; an entry goes
 * away at zero, so the map holds only clients with work running.
 */
export class InFlightLimit {
  private readonly counts = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Counts one more request of `client`; false (nothing counted) when it already has `max`. */
  enter(client: Uint8Array): boolean {
    const key = Buffer.from(client).toString('latin1');
    const n = this.counts.get(key) ?? 0;
    if (n >= this.max) return false;
    this.counts.set(key, n + 1);
    return true;
  }

  /** One request of `client` has its reply. */
  leave(client: Uint8Array): void {
    const key = Buffer.from(client).toString('latin1');
    const n = this.counts.get(key) ?? 0;
    if (n <= 1) this.counts.delete(key);
    else this.counts.set(key, n - 1);
  }

  /** Requests of `client` in flight now. */
  of(client: Uint8Array): number {
    return this.counts.get(Buffer.from(client).toString('latin1')) ?? 0;
  }

  /** Clients with requests in flight now. */
  get clients(): number {
    return this.counts.size;
  }
}
