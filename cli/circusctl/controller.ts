/**
 * Runs one parsed circusctl invocation (Circus's ControllerApp): builds the
 * request, calls the daemon, renders the reply, and returns the exit status
 * of spec/protocol.md 3.3.
 */
import { ArgumentError } from '../../kernel/index';
import { CallError } from '../../protocol/client';
import type { GlobalOptions, ParsedArgs } from './argparse';
import { runListen } from './listen-runner';
import { jsonOutput } from './prettify';
import { ClientSession, type CtlIo, DEFAULT_SUB_ENDPOINT } from './session';

/** The hint printed after `Timed out.` (verbatim from Circus 0.19.0's behaviour). */
export const TIMEOUT_MSG = `
A time out usually happens in one of those cases:

#1 The Circus daemon could not be reached.
#2 The Circus daemon took too long to perform the operation

For #1, make sure you are hitting the right place
by checking your --endpoint option.

For #2, if you are not expecting a result to
come back, increase your timeout option value
(particularly with waiting switches)
`;

const INTERRUPTED = Symbol('interrupted');

function interrupted(signal: AbortSignal): Promise<typeof INTERRUPTED> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(INTERRUPTED);
    else signal.addEventListener('abort', () => resolve(INTERRUPTED), { once: true });
  });
}

/** Executes commands for one circusctl run; `globals` are the options given at start-up. */
export class Controller {
  constructor(
    private readonly globals: GlobalOptions,
    private readonly session: ClientSession,
    private readonly io: CtlIo,
    private readonly interrupt: AbortSignal,
  ) {}

  /** Runs one command; never throws for anything a user can cause. */
  async run(parsed: ParsedArgs): Promise<number> {
    const command = parsed.command;
    if (command === undefined || command === null) {
      this.io.err('circusctl: error: no command given\n');
      return 1;
    }
    if (parsed.globals.help) {
      this.io.out(`${command.doc}\n`);
      return 0;
    }
    let props: Record<string, unknown>;
    try {
      props = command.message(parsed.args, parsed.switches);
    } catch (error) {
      return this.failed(error);
    }
    if (command.channel === 'sub') {
      const endpoint = parsed.globals.endpoint ?? this.globals.endpoint ?? DEFAULT_SUB_ENDPOINT;
      let curve;
      try {
        curve = this.session.curve();
      } catch (error) {
        return this.failed(error);
      }
      return runListen(endpoint, props.topics as string[], this.io, this.interrupt, curve);
    }
    try {
      let reply: Record<string, unknown> | typeof INTERRUPTED;
      if (command.channel === 'local' && command.runLocal !== undefined) reply = command.runLocal(props);
      else {
        const client = await this.session.get();
        reply = await Promise.race([client.call(command.name, props), interrupted(this.interrupt)]);
      }
      if (reply === INTERRUPTED) return 1;
      if (this.globals.json) {
        this.io.out(`${jsonOutput(reply, this.globals.prettify, this.io.stdoutIsTTY)}\n`);
        return 0;
      }
      const text = command.render(reply);
      if (reply.status === 'error') {
        this.io.err(`${text}\n`);
        return 3;
      }
      this.io.out(`${text}\n`);
      return 0;
    } catch (error) {
      if (error instanceof CallError) {
        const timedOut = error.message.toLowerCase().includes('timed out');
        this.io.err(timedOut ? `${error.message}${TIMEOUT_MSG}` : error.message);
        return 1;
      }
      return this.failed(error);
    }
  }

  private failed(error: unknown): number {
    if (error instanceof ArgumentError) this.io.err(`${error.message}\n`);
    else if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
      this.io.err(`circusctl: ${error.message}\n`);
    } else {
      this.io.err(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    return 1;
  }
}
