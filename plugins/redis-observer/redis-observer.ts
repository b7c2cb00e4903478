import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { errorMessage, PluginConfigError, PluginContext, PluginOptions, type CircusPlugin, type Disposable } from '../../kernel';
import { StatsdClient, type StatsdOptions } from '../../protocol/statsd';
import { queryInfo, REDIS_GAUGES, type InfoQuery } from './redis-info';

/** The options of a `[plugin:NAME]` section using redis_observer. */
export interface RedisObserverOptions extends StatsdOptions {
  readonly loop_rate: number;
  readonly redis_url: string;
  readonly timeout: number;
  readonly restart_on_timeout?: string;
}

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * RedisObserver (spec/daemon.md 6.11): every `loop_rate` seconds, INFO on
 * `redis_url`; a failure counts `redis_stats.error` and, with
 * `restart_on_timeout`, restarts that watcher; otherwise the INFO fields of
 * {@link REDIS_GAUGES} become gauges `redis_stats.<key>`.
 */
@injectable()
export class RedisObserver implements CircusPlugin {
  private statsd: StatsdClient | null = null;
  private period: Disposable | null = null;
  private inFlight: InfoQuery | null = null;
  private stopped = false;

  constructor(
    @inject(PluginContext) private readonly ctx: PluginContext,
    @inject(PluginOptions) private readonly options: RedisObserverOptions,
  ) {}

  async start(): Promise<void> {
    const url = this.options.redis_url;
    const problems: string[] = [];
    if (!/^rediss?:\/\//.test(url)) problems.push(`redis_url: ${url} is not a redis://host:port/db URL`);
    if (!(this.options.loop_rate > 0)) problems.push(`loop_rate: must be positive, not ${this.options.loop_rate}`);
    if (!(this.options.timeout > 0)) problems.push(`timeout: must be positive, not ${this.options.timeout}`);
    if (problems.length > 0) throw new PluginConfigError(problems.map((p) => `[${this.ctx.name}] ${p}`));
    this.stopped = false;
    this.statsd = StatsdClient.fromOptions(this.options, this.ctx.logger);
    this.period = this.ctx.every(this.options.loop_rate, () => this.lookAfter());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.period?.dispose();
    this.period = null;
    this.inFlight?.cancel();
    await this.statsd?.close();
    this.statsd = null;
  }

  /** One check; public so tests can drive it without the timer. */
  async lookAfter(): Promise<void> {
    if (!this.statsd) return;
    const query = queryInfo(this.options.redis_url, this.options.timeout);
    this.inFlight = query;
    let info: Map<string, string>;
    try {
      info = await query.result;
    } catch (err) {
      if (this.stopped || !this.statsd) return;
      this.ctx.logger.warning(`${this.options.redis_url}: INFO failed: ${errorMessage(err)}`);
      this.statsd.increment('redis_stats.error');
      const target = this.options.restart_on_timeout;
      if (target) {
        this.ctx.cast('restart', { name: target });
        this.statsd.increment('redis_stats.restart_on_error');
      }
      return;
    } finally {
      if (this.inFlight === query) this.inFlight = null;
    }
    const statsd = this.statsd;
    if (this.stopped || !statsd) return;
    for (const key of REDIS_GAUGES) {
      // Circus's period fails at the first missing key (newer servers dropped some); we skip it.
      const value = info.get(key);
      if (value === undefined) continue;
      // redis-py hands Circus ints and floats; print them as Python would (`1.50` -> `1.5`), ints verbatim (no rounding).
      if (INTEGER.test(value)) statsd.gauge(`redis_stats.${key}`, value);
      else if (DECIMAL.test(value)) statsd.gauge(`redis_stats.${key}`, Number(value), 'float');
      else statsd.gauge(`redis_stats.${key}`, value);
    }
  }
}
