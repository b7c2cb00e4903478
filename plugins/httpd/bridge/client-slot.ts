/**
 * The bridge's one control client, replaced after a failed call: a DEALER
 * whose call timed out may still hold the request queued for a daemon that
 * is gone, so Circus's clients drop it and connect afresh, and so does this.
 */
import { errorMessage } from '../../../kernel/index';
import { CircusClient } from '../../../protocol/client';
import type { ClientCurve } from '../../../protocol/curve';
import { BridgeCallError } from './bridge-call-error';

/** A lazily created {@link CircusClient} for one endpoint, renewed after each failure. */
export class ClientSlot {
  private client: CircusClient | undefined;
  private closed = false;

  constructor(
    readonly endpoint: string,
    /** Seconds to wait for each reply. */
    readonly timeout: number,
    /** CURVE settings of every client this slot makes (off when absent). */
    private readonly curve?: ClientCurve,
  ) {}

  /**
   * Sends a command and resolves with the reply as is (an error reply
   * included). Rejects with a {@link BridgeCallError} naming the endpoint
   * and command when no reply came; the client is then closed and the next
   * call gets a new one.
   */
  async call(command: string, properties: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.closed) throw new BridgeCallError(this.endpoint, command, 'the panel is stopping');
    const client = this.client ?? new CircusClient({ endpoint: this.endpoint, timeout: this.timeout, curve: this.curve });
    this.client = client;
    try {
      return await client.call(command, properties);
    } catch (error) {
      if (this.client === client) this.client = undefined;
      client.close();
      throw new BridgeCallError(this.endpoint, command, errorMessage(error), { cause: error });
    }
  }

  /** Closes the client; calls in flight reject, later calls are refused. */
  close(): void {
    this.closed = true;
    this.client?.close();
    this.client = undefined;
  }
}
