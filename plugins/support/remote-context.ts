/**
 * The {@link PluginContext} of a plugin run out of process (spec/daemon.md
 * 6.2, 6.14): commands go to the daemon's control endpoint over a DEALER
 * (protocol/client.ts), events come from its pub/sub endpoint over a SUB
 * subscribed to `watcher.` (protocol/subscriber.ts), decoded by
 * protocol/topics.ts. The plugin class is the same as in process.
 */
import {
  DisposableStore,
  errorMessage,
  PluginCallError,
  runEvery,
  toDisposable,
  type AnyCircusEvent,
  type CircusEvent,
  type CircusEventName,
  type Disposable,
  type Logger,
  type PluginContext,
} from '../../kernel';
import { CircusClient } from '../../protocol/client';
import type { ClientCurve } from '../../protocol/curve';
import { CircusSubscriber } from '../../protocol/subscriber';
import { decodeTopic, WATCHER_TOPIC_PREFIX } from '../../protocol/topics';

/** Options of {@link RemotePluginContext}. */
export interface RemoteContextOptions {
  /** `plugin:NAME`. */
  readonly name: string;
  /** Control endpoint (`--endpoint`). */
  readonly endpoint: string;
  /** Pub/sub endpoint (`--pubsub`). */
  readonly pubsub: string;
  readonly checkDelay: number;
  readonly logger: Logger;
  /** Seconds to wait for each reply (default 5). */
  readonly timeout?: number;
  /** CURVE towards both endpoints (off when absent). */
  readonly curve?: ClientCurve;
}

/** Reply keys that belong to the envelope, not to the command's result. */
const ENVELOPE = new Set(['status', 'time', 'id']);

/** A PluginContext over ZeroMQ; {@link dispose} closes both sockets. */
export class RemotePluginContext implements PluginContext, Disposable {
  readonly name: string;
  readonly checkDelay: number;
  readonly logger: Logger;
  private readonly client: CircusClient;
  private subscriber: CircusSubscriber | null = null;
  private readonly listeners = new Set<(event: AnyCircusEvent) => void>();
  private readonly owned = new DisposableStore();
  private disposed = false;

  constructor(private readonly opts: RemoteContextOptions) {
    this.name = opts.name;
    this.checkDelay = opts.checkDelay;
    this.logger = opts.logger;
    this.client = new CircusClient({ endpoint: opts.endpoint, timeout: opts.timeout ?? 5, curve: opts.curve });
  }

  /** Connects the control socket now, so a bad endpoint fails at start rather than at the first call. */
  connect(): void {
    this.client.connect();
  }

  async call(command: string, props: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    let reply: Record<string, unknown>;
    try {
      reply = await this.client.call(command, props);
    } catch (err) {
      throw new PluginCallError(command, errorMessage(err), { cause: err });
    }
    if (reply.status !== 'ok') throw new PluginCallError(command, typeof reply.reason === 'string' ? reply.reason : `'${command}' failed`);
    const result: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(reply)) if (!ENVELOPE.has(k)) result[k] = v;
    return result;
  }

  cast(command: string, props: Record<string, unknown> = {}): void {
    this.client.call(command, props, { cast: true }).catch((err: unknown) => this.logger.error(`cast '${command}' failed: ${errorMessage(err)}`));
  }

  on<K extends CircusEventName>(name: K, listener: (event: CircusEvent<K>) => void): Disposable {
    return this.onAny((event) => {
      if (event.name === name) listener(event as unknown as CircusEvent<K>);
    });
  }

  onAny(listener: (event: AnyCircusEvent) => void): Disposable {
    this.listeners.add(listener);
    this.subscribe();
    return this.owned.add(toDisposable(() => this.listeners.delete(listener)));
  }

  every(seconds: number, fn: () => unknown): Disposable {
    return this.owned.add(runEvery(seconds, fn, this.logger));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.owned.dispose();
    this.listeners.clear();
    this.subscriber?.close();
    this.client.close();
  }

  /** One SUB socket for every listener, opened with the first one. */
  private subscribe(): void {
    if (this.subscriber || this.disposed) return;
    const sub = new CircusSubscriber({ endpoint: this.opts.pubsub, topics: [WATCHER_TOPIC_PREFIX], curve: this.opts.curve });
    this.subscriber = sub;
    sub.connect();
    void this.receive(sub);
  }

  private async receive(sub: CircusSubscriber): Promise<void> {
    try {
      for await (const [topic, body] of sub) {
        const decoded = decodeTopic(topic, body);
        if (!decoded) continue;
        // The wire carries the resource name (lower-cased), as Circus plugins see it.
        const event = { name: decoded.name, watcher: decoded.watcher, payload: decoded.payload } as unknown as AnyCircusEvent;
        for (const fn of [...this.listeners]) {
          try {
            fn(event);
          } catch (err) {
            this.logger.error(`listener of '${decoded.name}' failed: ${errorMessage(err)}`);
          }
        }
      }
    } catch (err) {
      if (!this.disposed) this.logger.error(`pub/sub ${this.opts.pubsub}: ${errorMessage(err)}`);
    }
  }
}
