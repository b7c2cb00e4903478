import type { AnyCircusEvent, CircusEvent, CircusEventName, Disposable, PluginContext } from '../../kernel';
import { MemoryLogger } from './memory-logger';

/** A command the plugin sent: `call` or `cast`. */
export interface SentCommand {
  readonly kind: 'call' | 'cast';
  readonly command: string;
  readonly props: Record<string, unknown>;
}

/** How the fake answers a call: a result, or an Error to reject with. */
export type FakeReply = (props: Record<string, unknown>) => Record<string, unknown> | Error;

/**
 * A PluginContext for unit tests: records every call/cast, answers calls
 * from `replies`, delivers events only when the test emits them, and never
 * runs `every` by itself (the test calls the plugin's period directly).
 */
export class FakePluginContext implements PluginContext {
  readonly logger = new MemoryLogger('plugin');
  readonly sent: SentCommand[] = [];
  readonly replies = new Map<string, FakeReply>();
  readonly periods: { seconds: number; fn: () => unknown; disposed: boolean }[] = [];
  private readonly anyListeners = new Set<(event: AnyCircusEvent) => void>();

  constructor(
    readonly name = 'plugin:test',
    readonly checkDelay = 5,
  ) {}

  async call(command: string, props: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    this.sent.push({ kind: 'call', command, props });
    const reply = this.replies.get(command);
    if (!reply) return {};
    const out = reply(props);
    if (out instanceof Error) throw out;
    return out;
  }

  cast(command: string, props: Record<string, unknown> = {}): void {
    this.sent.push({ kind: 'cast', command, props });
  }

  on<K extends CircusEventName>(name: K, listener: (event: CircusEvent<K>) => void): Disposable {
    return this.onAny((event) => {
      if (event.name === name) listener(event as unknown as CircusEvent<K>);
    });
  }

  onAny(listener: (event: AnyCircusEvent) => void): Disposable {
    this.anyListeners.add(listener);
    return { dispose: () => this.anyListeners.delete(listener) };
  }

  every(seconds: number, fn: () => unknown): Disposable {
    const period = { seconds, fn, disposed: false };
    this.periods.push(period);
    return { dispose: () => (period.disposed = true) };
  }

  /** Delivers an event to the plugin's listeners. */
  emit(event: AnyCircusEvent): void {
    for (const fn of [...this.anyListeners]) fn(event);
  }

  /** Number of live event subscriptions (0 after a clean stop). */
  get listeners(): number {
    return this.anyListeners.size;
  }

  /** The casts sent so far, as `command` + props. */
  get casts(): SentCommand[] {
    return this.sent.filter((s) => s.kind === 'cast');
  }
}
