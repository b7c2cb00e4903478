/**
 * The flapping plugin (spec/daemon.md 6.6, Circus
 * `circus.plugins.flapping.Flapping`): stops a watcher whose processes die
 * `attempts` times within `window` seconds, starts it again after
 * `retry_in` seconds, and leaves it stopped after `max_retry` such stops.
 * It only watches `reap` and `updated` events and acts through `stop` and
 * `start` casts, like any control client: no policy lives in the kernel.
 */
import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import {
  DisposableStore,
  epochSeconds,
  errorMessage,
  PluginContext,
  PluginOptions,
  type CircusPlugin,
  type Disposable,
} from '../../kernel/index';
import { FlappingDetector, FlappingSettings } from './flapping-detector';
import { FlappingOverrides, readOverrides } from './overrides';

/** The plugin-wide options (the `[plugin:NAME]` section, typed by the descriptor's schema). */
export interface FlappingOptions {
  readonly attempts: number;
  readonly window: number;
  readonly retry_in: number;
  readonly max_retry: number;
}

/**
 * The delay every Circus plugin process uses in the flapping computation:
 * circusd never passes `--check-delay` to it (spec 6.1, quirk Q27).
 */
export const FLAPPING_CHECK_DELAY = 5.0;

/** setTimeout's largest delay; longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Python `%2d` of a float: truncated towards zero, right-aligned on two columns. */
export function pyPercent2d(value: number): string {
  return String(Math.trunc(value)).padStart(2, ' ');
}

@injectable()
export class FlappingPlugin implements CircusPlugin {
  private readonly detector = new FlappingDetector(FLAPPING_CHECK_DELAY);
  /** `flapping.*` keys per watcher, fetched on its first reap and on each `updated`. */
  private readonly overrides = new Map<string, FlappingOverrides>();
  private readonly retries = new Set<Disposable>();
  private subscriptions = new DisposableStore();
  /** Events are handled one at a time, in order, as Circus's single loop does. */
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    @inject(PluginContext) private readonly ctx: PluginContext,
    @inject(PluginOptions) private readonly options: FlappingOptions,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.subscriptions = new DisposableStore();
    this.subscriptions.add(
      this.ctx.on('reap', (event) => {
        // The reap time is taken on arrival, before any options round trip.
        const now = epochSeconds();
        this.enqueue(() => this.onReap(event.watcher, now));
      }),
    );
    this.subscriptions.add(this.ctx.on('updated', (event) => this.enqueue(() => this.refresh(event.watcher))));
  }

  /** Drops the subscriptions and cancels every pending restart (spec 6.6 step 4). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.subscriptions.dispose();
    for (const timer of this.retries) timer.dispose();
    this.retries.clear();
    await this.queue;
  }

  /** Restart timers armed and not yet fired (0 after stop()). */
  get pendingRetries(): number {
    return this.retries.size;
  }

  /** The settings of `watcher`: plugin options overlaid with its `flapping.*` keys. */
  settingsOf(watcher: string): FlappingSettings {
    const { attempts, window, retry_in, max_retry } = this.options;
    return { attempts, window, retry_in, max_retry, active: true, ...this.overrides.get(watcher) };
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue
      .then(() => (this.stopped ? undefined : work()))
      .catch((err: unknown) => this.ctx.logger.error(`flapping: ${errorMessage(err)}`));
  }

  private async onReap(watcher: string, now: number): Promise<void> {
    if (!this.overrides.has(watcher)) await this.refresh(watcher);
    const settings = this.settingsOf(watcher);
    const verdict = this.detector.reap(watcher, now, settings);
    if (verdict.kind === 'retry') {
      this.ctx.logger.info(
        `${watcher}: flapping detected: retry in ${pyPercent2d(verdict.retryIn)}s (attempt number ${verdict.attempt})`,
      );
      this.ctx.cast('stop', { name: watcher });
      this.scheduleStart(watcher, verdict.retryIn);
    } else if (verdict.kind === 'give-up') {
      this.ctx.logger.info(`${watcher}: flapping detected: reached max retry limit`);
      this.ctx.cast('stop', { name: watcher });
    }
  }

  /**
   * Re-reads the watcher's `flapping.*` keys with `options`. Like Circus,
   * keys are merged over what was read before, and a failed call (the
   * watcher is gone) leaves the plugin defaults in force.
   */
  private async refresh(watcher: string): Promise<void> {
    const known = this.overrides.get(watcher) ?? {};
    let options: Record<string, unknown> = {};
    try {
      const reply = await this.ctx.call('options', { name: watcher });
      if (typeof reply.options === 'object' && reply.options !== null) options = reply.options as Record<string, unknown>;
    } catch (err) {
      this.ctx.logger.warning(`flapping: cannot read the options of ${watcher}: ${errorMessage(err)}`);
    }
    const { overrides, problems } = readOverrides(options);
    for (const p of problems) {
      this.ctx.logger.warning(`${watcher}: ignoring ${p.key} = ${JSON.stringify(p.value)}: ${p.reason}`);
    }
    this.overrides.set(watcher, { ...known, ...overrides });
  }

  private scheduleStart(watcher: string, seconds: number): void {
    let handle: NodeJS.Timeout;
    let left = Math.max(0, seconds * 1000);
    const timer: Disposable = { dispose: () => clearTimeout(handle) };
    const arm = (): void => {
      const step = Math.min(left, MAX_TIMER_MS);
      left -= step;
      handle = setTimeout(() => {
        if (left > 0) return arm();
        this.retries.delete(timer);
        if (!this.stopped) this.ctx.cast('start', { name: watcher });
      }, step);
    };
    arm();
    this.retries.add(timer);
  }
}
