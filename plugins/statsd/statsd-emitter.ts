import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { eventTopic, PluginContext, PluginOptions, type CircusPlugin, type Disposable } from '../../kernel';
import { StatsdClient, type StatsdOptions } from '../../protocol/statsd';

/**
 * StatsdEmitter (spec/daemon.md 6.9): every event `watcher.<W>.<action>`
 * becomes the counter `circus.<application_name>.watcher.<W>.<action>:1|c`.
 * `<W>` is the topic's watcher part (lower-cased, spaces as `_`), as
 * Circus reads it from the pubsub topic.
 */
@injectable()
export class StatsdEmitter implements CircusPlugin {
  private statsd: StatsdClient | null = null;
  private subscription: Disposable | null = null;

  constructor(
    @inject(PluginContext) private readonly ctx: PluginContext,
    @inject(PluginOptions) private readonly options: StatsdOptions,
  ) {}

  async start(): Promise<void> {
    const statsd = StatsdClient.fromOptions(this.options, this.ctx.logger);
    this.statsd = statsd;
    this.subscription = this.ctx.onAny((event) => {
      statsd.increment(eventTopic(event.watcher, event.name).slice('watcher.'.length));
    });
  }

  async stop(): Promise<void> {
    this.subscription?.dispose();
    this.subscription = null;
    await this.statsd?.close();
    this.statsd = null;
  }
}
