/**
 * The in-process {@link PluginContext} (spec/daemon.md 6.3): commands go
 * through the same registry as the control endpoint (exclusive lock and
 * `waiting` included), events come from the kernel bus one tick later, and
 * everything a plugin registers through it is released by {@link dispose}.
 */
import { CommandRegistry } from './commands/registry';
import { Disposable, DisposableStore, toDisposable } from './disposable';
import { CircusError, errorMessage } from './errors';
import { EventBus } from './event-bus';
import { AnyCircusEvent, CircusEvent, CircusEventName } from './events';
import { pyTruthy } from './hooks/hook-runner';
import { Logger } from './logger';
import type { PluginContext } from './plugin-api';

/** A plugin's `call` failed: the message is the reason a control client would read. */
export class PluginCallError extends CircusError {
  readonly code = 'E_PLUGIN_CALL';
  constructor(readonly command: string, reason: string, options?: { cause?: unknown }) {
    super(reason, options);
  }
}

/**
 * The reason text Circus puts in an error reply for what a command threw
 * (the parts a plugin can tell apart; spec/protocol.md 1.7): an unknown
 * watcher reads `program <name> not found`, a missing property
 * `message invalid '<p>' is missing`; anything else its own message.
 */
export function circusReason(err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as Record<string, unknown>;
  if (e.code === 'E_NOT_FOUND' && e.kind === 'watcher') return `program ${String(e.what)} not found`;
  if (e.code === 'E_NOT_FOUND' && e.kind === 'command') return `unknown command: ${String(e.what)}`;
  if (e.code === 'E_MISSING_PROPERTY') return `message invalid '${String(e.property)}' is missing`;
  return errorMessage(err);
}

/**
 * Runs `fn` every `seconds`; the next period starts when a run is over, so
 * runs never overlap. A run that throws is logged and the period goes on.
 * Disposing cancels the pending timer (a run in progress finishes).
 */
export function runEvery(seconds: number, fn: () => unknown, logger: Logger): Disposable {
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = (): void => {
    if (!cancelled) timer = setTimeout(run, Math.max(0, seconds * 1000));
  };
  const run = (): void => {
    timer = undefined;
    Promise.resolve()
      .then(fn)
      .catch((err: unknown) => logger.error(`periodic task failed: ${errorMessage(err)}`))
      .finally(arm);
  };
  arm();
  return toDisposable(() => {
    cancelled = true;
    if (timer) clearTimeout(timer);
  });
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
}

/** What an {@link InProcessPluginContext} talks to. */
export interface InProcessContextDeps {
  readonly name: string;
  readonly checkDelay: number;
  readonly logger: Logger;
  readonly registry: CommandRegistry;
  readonly bus: EventBus;
}

/** The context of one running in-process plugin; disposed when the plugin stops. */
export class InProcessPluginContext implements PluginContext, Disposable {
  readonly name: string;
  readonly checkDelay: number;
  readonly logger: Logger;
  private readonly owned = new DisposableStore();
  private disposed = false;

  constructor(private readonly deps: InProcessContextDeps) {
    this.name = deps.name;
    this.checkDelay = deps.checkDelay;
    this.logger = deps.logger;
  }

  async call(command: string, props: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    if (this.disposed) throw new PluginCallError(command, `${this.name} is stopped: cannot call '${command}'`);
    let outcome;
    try {
      outcome = await this.deps.registry.invoke(command, props);
    } catch (err) {
      throw new PluginCallError(command, circusReason(err), { cause: err });
    }
    if ('value' in outcome) return asRecord(outcome.value);
    if (pyTruthy(props.waiting)) {
      try {
        return asRecord(await outcome.background);
      } catch (err) {
        throw new PluginCallError(command, circusReason(err), { cause: err });
      }
    }
    // Not waited: like the control endpoint, the failure is only logged.
    outcome.background.catch((err: unknown) => this.logger.error(`'${command}' failed in the background: ${circusReason(err)}`));
    return {};
  }

  cast(command: string, props: Record<string, unknown> = {}): void {
    this.call(command, props).catch((err: unknown) => this.logger.error(`cast '${command}' failed: ${errorMessage(err)}`));
  }

  on<K extends CircusEventName>(name: K, listener: (event: CircusEvent<K>) => void): Disposable {
    return this.track(this.deps.bus.on(name, (event) => this.later(() => listener(event), name)));
  }

  onAny(listener: (event: AnyCircusEvent) => void): Disposable {
    return this.track(this.deps.bus.onAny((event) => this.later(() => listener(event), event.name)));
  }

  every(seconds: number, fn: () => unknown): Disposable {
    return this.track(runEvery(seconds, fn, this.logger));
  }

  /** Releases every subscription and timer; later calls fail, pending deliveries are dropped. */
  dispose(): void {
    this.disposed = true;
    this.owned.dispose();
  }

  private track(d: Disposable): Disposable {
    if (this.disposed) {
      d.dispose();
      return d;
    }
    return this.owned.add(d);
  }

  /** Spec 6.3: never inside the kernel operation that produced the event. */
  private later(deliver: () => void, what: string): void {
    setImmediate(() => {
      if (this.disposed) return;
      try {
        deliver();
      } catch (err) {
        this.logger.error(`listener of '${what}' failed: ${errorMessage(err)}`);
      }
    });
  }
}
