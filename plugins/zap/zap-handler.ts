/**
 * The ZAP handler (ZeroMQ RFC 27): a ROUTER bound on
 * `inproc://zeromq.zap.01` in the default context, which every zeromq.js
 * socket shares, so libzmq asks it about each client that completes a
 * CURVE handshake with a circusd endpoint. Requests arrive REQ-style:
 * `[routing id, "", "1.0", request id, domain, address, identity,
 * mechanism, credentials...]`; the reply mirrors them with a status code.
 * Requests are answered one at a time (a zeromq.js socket allows one send
 * in flight), each within a few microseconds of synchronous work.
 */
import { Router } from 'zeromq';
import { errorMessage, type Logger } from '../../kernel/index';
import { ZAP_DOMAIN } from '../../protocol/curve-server';
import { ZapError } from './errors';
import { z85Encode } from '../../protocol/z85';

/** Where libzmq sends ZAP requests (RFC 27): one handler per context. */
export const ZAP_ENDPOINT = 'inproc://zeromq.zap.01';

/** A closed handler's inproc name can stay registered for a moment: rebinding retries this long. */
const REBIND_WAIT_MS = 2000;
const REBIND_PAUSE_MS = 10;

/** Consecutive receive failures after which the loop gives up (a broken socket, not bad input). */
const MAX_RECEIVE_FAILURES = 100;

/** One decision, as the `audit.zap` event reports it. */
export interface ZapDecision {
  /** The peer's address as libzmq gives it (IP text for tcp, empty for ipc). */
  readonly address: string;
  /** The client's public key in Z85, null when the request carried none. */
  readonly key: string | null;
  readonly mechanism: string;
  readonly domain: string;
  readonly allowed: boolean;
  /** Why: `authorized key`, `key not authorized`, ... */
  readonly reason: string;
}

/**
 * Decides one request from its frames after the routing id. Pure, so
 * every branch is testable without sockets. Only CURVE in circusd's domain
 * with an authorized key is let in.
 */
export function decideZap(frames: readonly Uint8Array[], authorized: ReadonlySet<string>): ZapDecision {
  const text = (i: number): string => (frames[i] === undefined ? '' : Buffer.from(frames[i]).toString('utf8'));
  const [domain, address, mechanism] = [text(3), text(4), text(6)];
  const credential = frames[7];
  const key = mechanism === 'CURVE' && credential !== undefined && credential.length === 32 ? z85Encode(credential) : null;
  const refuse = (reason: string): ZapDecision => ({ address, key, mechanism, domain, allowed: false, reason });
  if (frames.length < 7 || frames[0].length !== 0 || text(1) !== '1.0') return refuse('malformed ZAP request');
  if (domain !== ZAP_DOMAIN) return refuse(`unknown ZAP domain '${domain}'`);
  if (mechanism !== 'CURVE') return refuse(`mechanism ${mechanism} is not accepted (CURVE only)`);
  if (key === null) return refuse('no CURVE public key in the request');
  if (!authorized.has(key)) return refuse('key not authorized');
  return { address, key, mechanism, domain, allowed: true, reason: 'authorized key' };
}

/** The bound handler socket and its loop. */
export class ZapHandler {
  private readonly loop: Promise<void>;

  private constructor(
    private readonly socket: Router,
    private readonly decide: (frames: readonly Uint8Array[]) => ZapDecision,
    private readonly onDecision: (decision: ZapDecision) => void,
    private readonly logger: Logger,
  ) {
    this.loop = this.receiveLoop();
  }

  /**
   * Binds the handler and starts answering. Rejects with ZapError when the
   * address stays taken (another handler in this process) past a short wait.
   */
  static async bind(
    decide: (frames: readonly Uint8Array[]) => ZapDecision,
    onDecision: (decision: ZapDecision) => void,
    logger: Logger,
  ): Promise<ZapHandler> {
    const socket = new Router({ linger: 0 });
    const deadline = Date.now() + REBIND_WAIT_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        await socket.bind(ZAP_ENDPOINT);
        return new ZapHandler(socket, decide, onDecision, logger);
      } catch (err) {
        const inUse = (err as { code?: string }).code === 'EADDRINUSE';
        if (!inUse || Date.now() >= deadline || attempt >= REBIND_WAIT_MS / REBIND_PAUSE_MS) {
          socket.close();
          const why = inUse ? 'another ZAP handler is bound in this process' : errorMessage(err);
          throw new ZapError(`could not bind the ZAP handler on ${ZAP_ENDPOINT}: ${why}`, { cause: err });
        }
        await new Promise((resolve) => setTimeout(resolve, REBIND_PAUSE_MS));
      }
    }
  }

  /** Closes the socket; pending handshakes then fail (closed, never let in). */
  async close(): Promise<void> {
    if (!this.socket.closed) this.socket.close();
    await this.loop;
  }

  private async receiveLoop(): Promise<void> {
    let failures = 0;
    for (;;) {
      let frames: Buffer[];
      try {
        frames = await this.socket.receive();
        failures = 0;
      } catch (err) {
        if (this.socket.closed) return;
        this.logger.error(`ZAP handler: receive failed: ${errorMessage(err)}`);
        if (++failures >= MAX_RECEIVE_FAILURES) {
          this.logger.critical(`ZAP handler: giving up after ${failures} receive failures in a row; CURVE clients can no longer connect`);
          return;
        }
        continue;
      }
      await this.answer(frames);
    }
  }

  private async answer(frames: Buffer[]): Promise<void> {
    const [routingId, ...request] = frames;
    const decision = this.decide(request);
    try {
      this.onDecision(decision);
    } catch (err) {
      // The audit must not stop authentication; its own failure is reported.
      this.logger.error(`ZAP handler: reporting a decision failed: ${errorMessage(err)}`);
    }
    const requestId = request[2] ?? Buffer.alloc(0);
    const [code, text] = decision.allowed ? ['200', 'OK'] : ['400', decision.reason];
    try {
      await this.socket.send([routingId, '', '1.0', requestId, code, text, decision.allowed ? (decision.key ?? '') : '', '']);
    } catch (err) {
      if (!this.socket.closed) this.logger.warning(`ZAP handler: could not answer a request: ${errorMessage(err)}`);
    }
  }
}
