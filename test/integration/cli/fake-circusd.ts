/**
 * A fake circusd for client tests: a real zeromq ROUTER bound in the test
 * process that records every request (raw text and parsed) and answers with
 * whatever the test's handler returns (a reply object, raw text, several
 * frames, or nothing).
 */
import { Router } from 'zeromq';

/** One request as received. */
export interface Received {
  readonly identity: Buffer;
  readonly frames: number;
  readonly text: string;
  readonly json: Record<string, unknown>;
}

/** What the handler answers: an object (id added unless present), raw text, or undefined for no reply. */
export type Answer = Record<string, unknown> | string | undefined | { raw: string };
export type Handler = (req: Received) => Answer | Promise<Answer>;

/** A bound fake daemon. */
export class FakeCircusd {
  readonly requests: Received[] = [];
  private readonly router = new Router({ linger: 0 });
  private sendQueue: Promise<void> = Promise.resolve();
  private loop: Promise<void> | undefined;

  constructor(readonly endpoint: string, private handler: Handler) {}

  /** Binds and starts answering. For tcp, pass `tcp://127.0.0.1:0` and read {@link boundEndpoint}. */
  async start(): Promise<void> {
    await this.router.bind(this.endpoint);
    this.loop = this.receive();
  }

  /** The actual endpoint (the chosen port for `:0`). */
  get boundEndpoint(): string {
    return this.router.lastEndpoint as string;
  }

  setHandler(handler: Handler): void {
    this.handler = handler;
  }

  /** Sends an arbitrary frame to a client (e.g. a stale reply). */
  send(identity: Buffer, text: string): Promise<void> {
    const next = this.sendQueue.then(() => this.router.send([identity, text]));
    this.sendQueue = next.catch(() => undefined);
    return next;
  }

  private async receive(): Promise<void> {
    for await (const frames of this.router) {
      const identity = frames[0];
      const text = (frames[frames.length - 1] ?? Buffer.alloc(0)).toString('utf8');
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // Not JSON: recorded with an empty object.
      }
      const req: Received = { identity, frames: frames.length - 1, text, json };
      this.requests.push(req);
      void Promise.resolve(this.handler(req)).then((answer) => {
        if (answer === undefined) return;
        if (typeof answer === 'string') return this.send(identity, answer);
        if ('raw' in answer && typeof answer.raw === 'string' && Object.keys(answer).length === 1) return this.send(identity, answer.raw);
        const body = 'id' in answer ? answer : { ...answer, id: req.json.id ?? null };
        return this.send(identity, JSON.stringify(body));
      });
    }
  }

  /** Closes the socket; the receive loop ends. */
  async stop(): Promise<void> {
    if (!this.router.closed) this.router.close();
    await this.loop;
  }
}
