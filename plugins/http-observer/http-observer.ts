import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { errorMessage, PluginConfigError, PluginContext, PluginOptions, type CircusPlugin, type Disposable } from '../../kernel';
import { StatsdClient, type StatsdOptions } from '../../protocol/statsd';
import { checkableUrl, checkUrl } from './http-check';

/** The options of a `[plugin:NAME]` section using http_observer. */
export interface HttpObserverOptions extends StatsdOptions {
  readonly loop_rate: number;
  readonly check_url: string;
  readonly timeout: number;
  readonly restart_on_error?: string;
}

/**
 * HttpObserver (spec/daemon.md 6.10): every `loop_rate` seconds, GET
 * `check_url`; a failure counts `http_stats.error` and
 * `http_stats.error.<code>` and, with `restart_on_error`, restarts that
 * watcher; a success times the request (`http_stats.request_time`).
 */
@injectable()
export class HttpObserver implements CircusPlugin {
  private statsd: StatsdClient | null = null;
  private period: Disposable | null = null;
  private url: URL | null = null;
  private stopping = new AbortController();

  constructor(
    @inject(PluginContext) private readonly ctx: PluginContext,
    @inject(PluginOptions) private readonly options: HttpObserverOptions,
  ) {}

  async start(): Promise<void> {
    const problems: string[] = [];
    try {
      this.url = checkableUrl(this.options.check_url);
    } catch (err) {
      problems.push(`check_url: ${errorMessage(err)}`);
    }
    if (!(this.options.loop_rate > 0)) problems.push(`loop_rate: must be positive, not ${this.options.loop_rate}`);
    if (!(this.options.timeout > 0)) problems.push(`timeout: must be positive, not ${this.options.timeout}`);
    if (problems.length > 0) throw new PluginConfigError(problems.map((p) => `[${this.ctx.name}] ${p}`));
    this.stopping = new AbortController();
    this.statsd = StatsdClient.fromOptions(this.options, this.ctx.logger);
    this.period = this.ctx.every(this.options.loop_rate, () => this.lookAfter());
  }

  async stop(): Promise<void> {
    this.period?.dispose();
    this.period = null;
    this.stopping.abort();
    await this.statsd?.close();
    this.statsd = null;
  }

  /** One check; public so tests can drive it without the timer. */
  async lookAfter(): Promise<void> {
    const { url } = this;
    if (!url || !this.statsd) return;
    const began = performance.now();
    const result = await checkUrl(url, this.options.timeout, this.stopping.signal);
    const statsd = this.statsd;
    if (!statsd || this.stopping.signal.aborted) return;
    if (result.ok) {
      statsd.timing('http_stats.request_time', Math.trunc(performance.now() - began));
      return;
    }
    this.ctx.logger.warning(`${url.href}: check failed (${result.reason})`);
    statsd.increment('http_stats.error');
    statsd.increment(`http_stats.error.${result.code}`);
    const target = this.options.restart_on_error;
    if (target) {
      this.ctx.cast('restart', { name: target });
      statsd.increment('http_stats.restart_on_error');
    }
  }
}
