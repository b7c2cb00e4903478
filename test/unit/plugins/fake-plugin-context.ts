/**
 * A scripted {@link PluginContext} for plugin unit tests: replies come from
 * a handler, calls and casts are recorded, events are pushed by the test
 * and periods are run by hand, so no arbiter, process or timer is involved.
 */
import {
  toDisposable,
  type AnyCircusEvent,
  type CircusEvent,
  type CircusEventName,
  type CircusEvents,
  type Disposable,
  type PluginContext,
} from '../../../kernel';
import { MemoryLogger } from '../../support/memory-logger';

/** One command the plugin issued. */
export interface Issued {
  readonly kind: 'call' | 'cast';
  readonly command: string;
  readonly props: Record<string, unknown>;
}

/** Answers a command: a result record, or throws (the call rejects, a cast logs). */
export type Responder = (command: string, props: Record<string, unknown>) => Record<string, unknown>;

export class FakePluginContext implements PluginContext {
  readonly logger = new MemoryLogger('plugin:test');
  readonly issued: Issued[] = [];
  private readonly listeners = new Set<{ name: string | null; fn: (e: AnyCircusEvent) => void }>();
  private readonly periods = new Set<{ seconds: number; fn: () => unknown }>();

  constructor(
    public respond: Responder = () => ({}),
    readonly name = 'plugin:test',
    readonly checkDelay = 5,
  ) {}

  async call(command: string, props: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    this.issued.push({ kind: 'call', command, props });
    return this.respond(command, props);
  }

  cast(command: string, props: Record<string, unknown> = {}): void {
    this.issued.push({ kind: 'cast', command, props });
    try {
      this.respond(command, props);
    } catch (err) {
      this.logger.error(`cast '${command}' failed: ${(err as Error).message}`);
    }
  }

  on<K extends CircusEventName>(name: K, listener: (event: CircusEvent<K>) => void): Disposable {
    const entry = { name: name as string, fn: listener as unknown as (e: AnyCircusEvent) => void };
    this.listeners.add(entry);
    return toDisposable(() => this.listeners.delete(entry));
  }

  onAny(listener: (event: AnyCircusEvent) => void): Disposable {
    const entry = { name: null, fn: listener };
    this.listeners.add(entry);
    return toDisposable(() => this.listeners.delete(entry));
  }

  every(seconds: number, fn: () => unknown): Disposable {
    const entry = { seconds, fn };
    this.periods.add(entry);
    return toDisposable(() => this.periods.delete(entry));
  }

  /** Delivers an event to the subscribed listeners. */
  emit<K extends CircusEventName>(name: K, watcher: string, payload: CircusEvents[K]): void {
    const event = { name, watcher, payload } as unknown as AnyCircusEvent;
    for (const l of [...this.listeners]) if (l.name === null || l.name === name) l.fn(event);
  }

  /** Runs every registered period once, in order, awaiting each. */
  async tick(): Promise<void> {
    for (const p of [...this.periods]) await p.fn();
  }

  /** Periods currently registered (seconds each). */
  get periodSeconds(): number[] {
    return [...this.periods].map((p) => p.seconds);
  }

  /** Number of live subscriptions. */
  get subscriptions(): number {
    return this.listeners.size;
  }

  /** Casts issued, as `command name` strings, for compact assertions. */
  casts(): string[] {
    return this.issued.filter((i) => i.kind === 'cast').map((i) => `${i.command} ${String(i.props.name)}`);
  }

  /** Lets queued promise work run (several macrotask turns). */
  async settle(turns = 5): Promise<void> {
    for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  }
}
