/**
 * What the control endpoint does with one request body (spec/protocol.md
 * 1.6, 1.7): decode, look the command up, run it through the registry,
 * and encode the reply -- or decide that nothing is sent. No socket here,
 * so every row of the 1.7 table is testable without ZeroMQ.
 */
import { CommandOutcome, CommandRegistry, errorMessage, Logger, pyTruthy } from '../../kernel/index';
import { ControlRequest, decodeRequest, encodeError, encodeOk, isReplyResult, pyTime, ReplyError } from '../../protocol/codec';
import { Errno, INVALID_JSON, mapError, messageError, SERVER_ERROR, unknownCommand } from '../../protocol/errno';
import { capReason, InFlightLimit, tooManyRequests } from './limits';

/** What a request came to: a result for an ok reply, or an error. */
type Answer = { readonly result: unknown } | { readonly error: ReplyError };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(err: unknown): string {
  return err instanceof Error && err.stack ? err.stack : errorMessage(err);
}

/** Turns request bodies into reply bodies through a {@link CommandRegistry}. */
export class ControlDispatcher {
  private readonly inFlight: InFlightLimit;
  /** Clients told they are over the limit since their count last fell to zero (one warning each). */
  private readonly warned = new Set<string>();

  /**
   * `maxRequestsPerClient` bounds the requests of one client (routing id)
   * in flight at once (`[circus] max_requests_per_client`); unbounded by
   * default, and for requests dispatched without a client.
   */
  constructor(
    private readonly registry: CommandRegistry,
    private readonly logger: Logger,
    private readonly now: () => number = pyTime,
    maxRequestsPerClient = Number.POSITIVE_INFINITY,
  ) {
    this.inFlight = new InFlightLimit(maxRequestsPerClient);
  }

  /** Requests of `client` in flight now (what the limit counts). */
  inFlightOf(client: Uint8Array): number {
    return this.inFlight.of(client);
  }

  /**
   * Handles one request body of `client` (its routing id). Resolves with
   * the reply body, or null when nothing must be sent (cast, or input
   * Circus drops). A waited command resolves when its work is over; the
   * others at once. A request beyond the client's in-flight bound is
   * answered errno 5 at once and never runs. Never rejects.
   */
  async dispatch(body: Buffer, client?: Uint8Array): Promise<Buffer | null> {
    const request = decodeRequest(body);
    if (request.kind === 'drop') {
      this.logger.warning(`dropped a control message: ${request.why}`);
      return null;
    }
    if (request.kind === 'invalid-json') {
      // The cast flag is unknown here, so even a cast gets this answer (spec 1.7).
      return encodeError(INVALID_JSON, null, this.now());
    }
    if (client === undefined) return this.run(request, body);
    if (!this.inFlight.enter(client)) return this.refuse(request, client);
    try {
      return await this.run(request, body);
    } finally {
      this.inFlight.leave(client);
      if (this.inFlight.of(client) === 0) this.warned.delete(Buffer.from(client).toString('latin1'));
    }
  }

  /** The answer to a request over the client's bound: one warning per burst, errno 5 (none for a cast). */
  private refuse(request: ControlRequest, client: Uint8Array): Buffer | null {
    const key = Buffer.from(client).toString('latin1');
    if (!this.warned.has(key)) {
      this.warned.add(key);
      this.logger.warning(
        `control: client ${Buffer.from(client).toString('hex')} has ${this.inFlight.max} requests in flight; refusing more until they end`,
      );
    }
    if (request.cast) return null;
    return encodeError(tooManyRequests(this.inFlight.max), request.id, this.now());
  }

  private async run(request: ControlRequest, body: Buffer): Promise<Buffer | null> {
    let answer: Answer;
    try {
      answer = await this.answer(request, body);
    } catch (err) {
      // Only a bug of this module lands here; the client still gets an answer.
      this.logger.error(`control: handling ${request.name} failed: ${describe(err)}`);
      answer = { error: mapError(err, body) };
    }
    if (request.cast) return null;
    return this.encode(request, answer);
  }

  private encode(request: ControlRequest, answer: Answer): Buffer {
    if ('error' in answer) return encodeError(capReason(answer.error), request.id, this.now());
    if (!isReplyResult(answer.result)) {
      this.logger.error(`command '${request.name}' answered a ${typeof answer.result}, not an object: ${String(answer.result)}`);
      return encodeError(SERVER_ERROR, request.id, this.now());
    }
    try {
      return encodeOk(answer.result, request.id, this.now());
    } catch (err) {
      // A result JSON cannot hold (a cycle): Circus answers a bad result with errno 6.
      this.logger.error(`command '${request.name}': its result cannot be sent: ${describe(err)}`);
      return encodeError(SERVER_ERROR, request.id, this.now());
    }
  }

  /** The properties to run with, or null when they must be refused (spec 1.7, circus-ts fix). */
  private properties(request: ControlRequest): Readonly<Record<string, unknown>> | null {
    const raw = request.properties;
    if (raw === undefined) return {};
    if (isPlainObject(raw)) return raw;
    // Commands that never read their properties answer as if none were sent.
    return this.registry.get(request.name).readsProperties === false ? {} : null;
  }

  private async answer(request: ControlRequest, body: Buffer): Promise<Answer> {
    if (!this.registry.has(request.name)) return { error: unknownCommand(request.command) };
    const props = this.properties(request);
    if (props === null) return { error: messageError('properties must be an object') };
    let outcome: CommandOutcome;
    try {
      outcome = await this.registry.invoke(request.name, props);
    } catch (err) {
      return { error: this.failed(request, err, body) };
    }
    if ('value' in outcome) return { result: outcome.value };
    if (pyTruthy(props.waiting)) {
      try {
        return { result: await outcome.background };
      } catch (err) {
        // Circus only logs the real error of a waited operation; the client gets "server error".
        this.logger.error(`command '${request.name}' failed: ${describe(err)}`);
        return { error: SERVER_ERROR };
      }
    }
    outcome.background.catch((err: unknown) =>
      this.logger.error(`command '${request.name}' failed in the background: ${describe(err)}`),
    );
    return { result: undefined };
  }

  private failed(request: ControlRequest, err: unknown, body: Buffer): ReplyError {
    const error = mapError(err, body);
    if (error.errno === Errno.COMMAND_ERROR && error.tb !== null) {
      this.logger.error(`command '${request.name}' raised: ${describe(err)}`);
    } else {
      this.logger.debug(`command '${request.name}' refused (errno ${error.errno}): ${error.reason}`);
    }
    return error;
  }
}
