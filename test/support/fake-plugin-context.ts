/**
 * The one scripted {@link PluginContext} for plugin unit tests: calls and
 * casts are recorded, replies are scripted per command, events are pushed
 * by the test and periods are run by hand, so no arbiter, process or timer
 * is involved.
 */
import {
  toDisposable,
  type AnyCircusEvent,
  type CircusEvent,
  type CircusEventName,
  type CircusEvents,
  type Disposable,
  type PluginContext,
} from '../../kernel';
import { MemoryLogger } from './memory-logger';

/** A command the plugin sent: `call` or `cast`. */
export interface SentCommand {
  readonly kind: 'call' | 'cast';
  readonly command: string;
  readonly props: Record<string, unknown>;
}

/**
 * How the fake answers one command: a result record, or a failure (an Error
 * returned or thrown) that rejects a call and is logged for a cast.
 */
export type FakeReply = (props: Record<string, unknown>) => Record<string, unknown> | Error;

/** A period registered through `every`; `disposed` turns true when the plugin releases it. */
export interface FakePeriod {
  readonly seconds: number;
  readonly fn: () => unknown;
  disposed: boolean;
}

/** Construction options; every field has the default a plugin test usually wants. */
export interface FakePluginContextOptions {
  /** `plugin:NAME`; also the logger's name. Default `plugin:test`. */
  readonly name?: string;
  /** The daemon's check_delay. Default 5 (Circus's value). */
  readonly checkDelay?: number;
  /** Scripted replies by command name; a command without one answers `{}`. */
  readonly replies?: Readonly<Record<string, FakeReply>>;
}

export class FakePluginContext implements PluginContext {
  readonly name: string;
  readonly checkDelay: number;
  readonly logger: MemoryLogger;
  /** Every call and cast, in order. */
  readonly sent: SentCommand[] = [];
  /** Scripted replies by command name; tests may set more after construction. */
  readonly replies = new Map<string, FakeReply>();
  /** Every period ever registered, disposed ones included (kept so tests can check the release). */
  readonly periods: FakePeriod[] = [];
  private readonly listeners = new Set<{ name: string | null; fn: (e: AnyCircusEvent) => void }>();

  constructor(options: FakePluginContextOptions = {}) {
    this.name = options.name ?? 'plugin:test';
    this.checkDelay = options.checkDelay ?? 5;
    this.logger = new MemoryLogger(this.name);
    for (const [command, reply] of Object.entries(options.replies ?? {})) this.replies.set(command, reply);
  }

  async call(command: string, props: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    this.sent.push({ kind: 'call', command, props });
    return this.answer(command, props);
  }

  /** Records the cast; a scripted failure is logged, never thrown (the PluginContext contract). */
  cast(command: string, props: Record<string, unknown> = {}): void {
    this.sent.push({ kind: 'cast', command, props });
    try {
      this.answer(command, props);
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

  /** Registers the period without any timer: the test runs it with {@link tick}. */
  every(seconds: number, fn: () => unknown): Disposable {
    const period: FakePeriod = { seconds, fn, disposed: false };
    this.periods.push(period);
    return toDisposable(() => (period.disposed = true));
  }

  /** Delivers an event (whole, or as name + watcher + payload) to the subscribed listeners. */
  emit(event: AnyCircusEvent): void;
  emit<K extends CircusEventName>(name: K, watcher: string, payload: CircusEvents[K]): void;
  emit(first: AnyCircusEvent | CircusEventName, watcher?: string, payload?: unknown): void {
    const event = typeof first === 'string' ? ({ name: first, watcher, payload } as unknown as AnyCircusEvent) : first;
    for (const l of [...this.listeners]) if (l.name === null || l.name === event.name) l.fn(event);
  }

  /**
   * Runs every live period once, in order, awaiting each. A throwing period
   * rejects the tick (unlike the real context, which logs it) so a test
   * sees the fault instead of a log line it may not check.
   */
  async tick(): Promise<void> {
    for (const p of this.periods.filter((q) => !q.disposed)) await p.fn();
  }

  /** The seconds of the live (not disposed) periods. */
  get periodSeconds(): number[] {
    return this.periods.filter((p) => !p.disposed).map((p) => p.seconds);
  }

  /** Number of live event subscriptions (0 after a clean stop). */
  get subscriptions(): number {
    return this.listeners.size;
  }

  /** The casts sent so far. */
  get casts(): SentCommand[] {
    return this.sent.filter((s) => s.kind === 'cast');
  }

  /** The casts sent so far as `command name` strings, for compact assertions. */
  castLines(): string[] {
    return this.casts.map((c) => `${c.command} ${String(c.props.name)}`);
  }

  /** Lets queued promise work run (several macrotask turns); bounded by `turns`. */
  async settle(turns = 5): Promise<void> {
    for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  }

  /** The scripted answer of `command`: `{}` without a reply; a returned Error is thrown. */
  private answer(command: string, props: Record<string, unknown>): Record<string, unknown> {
    const reply = this.replies.get(command);
    if (!reply) return {};
    const out = reply(props);
    if (out instanceof Error) throw out;
    return out;
  }
}
