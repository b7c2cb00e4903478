import 'reflect-metadata';
import { DependencyContainer, inject, injectable } from 'tsyringe';
import { Clock } from '../clock';
import { errorMessage } from '../errors';
import { EventBus } from '../event-bus';
import { Logger } from '../logger';
import { KernelContainer } from '../plugin-host';
import { HookCall, HookRunner, pyTruthy } from './hook-runner';
import { HookArbiterView, HookContext } from './hook-types';

/**
 * The kernel's hook runner (spec/daemon.md 5.1, Circus `call_hook`): calls
 * the configured hook with `{ watcher, arbiter, hook_name, ...extras }`,
 * awaits it (no timeout, as Circus hooks block), reads the result with
 * Python truthiness, and publishes `hook_success` or `hook_failure`.
 */
@injectable()
export class CircusHookRunner implements HookRunner {
  constructor(
    @inject(EventBus) private readonly bus: EventBus,
    @inject(Logger) private readonly logger: Logger,
    @inject(Clock) private readonly clock: Clock,
    @inject(KernelContainer) private readonly container: DependencyContainer,
  ) {}

  /**
   * Resolves true when the operation may go on: no hook configured, or the
   * hook returned a truthy value, or it failed and is in the ignore-failure
   * set. A hook that returns normally publishes `hook_success` whatever it
   * returned; one that throws or rejects is logged as "Hook '<name>' failed"
   * and publishes `hook_failure` with the error message. Never rejects.
   */
  async run(call: HookCall): Promise<boolean> {
    const target = call.target;
    if (!target) return true;
    let value: unknown;
    try {
      const fn = await target.load();
      value = await fn(this.context(call));
    } catch (err) {
      const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
      this.logger.error(`Hook '${call.hook}' failed (watcher '${call.watcher.name}', ${target.spec}): ${detail}`);
      this.bus.emit('hook_failure', call.watcher.name, { name: call.hook, time: this.clock.now(), error: errorMessage(err) });
      return target.ignoreFailure;
    }
    this.bus.emit('hook_success', call.watcher.name, { name: call.hook, time: this.clock.now() });
    return pyTruthy(value);
  }

  /** Calls `extended_stats` if configured; its errors propagate, and no event is published (as Circus). */
  async extendedStats(call: HookCall): Promise<void> {
    if (!call.target) return;
    const fn = await call.target.load();
    await fn(this.context(call));
  }

  private context(call: HookCall): HookContext {
    return { ...call.args, watcher: call.watcher, arbiter: this.arbiter(), hook_name: call.hook };
  }

  private arbiter(): HookArbiterView | null {
    return this.container.isRegistered(HookArbiterView, true) ? this.container.resolve<HookArbiterView>(HookArbiterView) : null;
  }
}
