import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { errorMessage, PluginContext, PluginOptions, type CircusPlugin, type Disposable } from '../../kernel';
import { human2bytes } from '../../protocol/human-size';
import { StatsdClient, type StatsdOptions } from '../../protocol/statsd';

/** Options of FullStats: the statsd ones plus the period. */
export interface FullStatsOptions extends StatsdOptions {
  readonly loop_rate: number;
}

type Record_ = Readonly<Record<string, unknown>>;

function numbers(records: readonly Record_[], key: string): number[] {
  // "N/A" (access denied) has no number to aggregate; Circus would crash on it.
  return records.map((r) => r[key]).filter((v): v is number => typeof v === 'number');
}

function bytesOf(records: readonly Record_[]): number[] {
  const out: number[] = [];
  for (const r of records) {
    if (typeof r.mem_info1 !== 'string' || r.mem_info1 === 'N/A') continue;
    out.push(human2bytes(r.mem_info1));
  }
  return out;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/**
 * FullStats (spec/daemon.md 6.9, `full_stats`): every `loop_rate` seconds,
 * `stats` for all watchers, and per watcher not named `plugin:*` the gauges
 * `_stats.<W>.watchers_num`, then (with at least one process) `cpu_max`,
 * `cpu_sum`, `mem_pct_max`, `mem_pct_sum`, `mem_max`, `mem_sum`.
 */
@injectable()
export class FullStats implements CircusPlugin {
  private statsd: StatsdClient | null = null;
  private period: Disposable | null = null;

  constructor(
    @inject(PluginContext) private readonly ctx: PluginContext,
    @inject(PluginOptions) private readonly options: FullStatsOptions,
  ) {}

  async start(): Promise<void> {
    this.statsd = StatsdClient.fromOptions(this.options, this.ctx.logger);
    this.period = this.ctx.every(this.options.loop_rate, () => this.lookAfter());
  }

  async stop(): Promise<void> {
    this.period?.dispose();
    this.period = null;
    await this.statsd?.close();
    this.statsd = null;
  }

  /** One period; public so tests can drive it without waiting for the timer. */
  async lookAfter(): Promise<void> {
    const statsd = this.statsd;
    if (!statsd) return;
    let infos: Record<string, Record<string, unknown>>;
    try {
      const reply = await this.ctx.call('stats');
      infos = (reply.infos ?? {}) as Record<string, Record<string, unknown>>;
    } catch (err) {
      this.ctx.logger.debug(`stats failed: ${errorMessage(err)}`);
      statsd.increment('_stats.error');
      return;
    }
    for (const [name, stats] of Object.entries(infos)) {
      if (name.startsWith('plugin:')) continue;
      const records = Object.values(stats).filter((v): v is Record_ => typeof v === 'object' && v !== null);
      statsd.gauge(`_stats.${name}.watchers_num`, records.length);
      if (records.length === 0) continue;
      const cpus = numbers(records, 'cpu');
      const mems = numbers(records, 'mem');
      const bytes = bytesOf(records);
      if (cpus.length > 0) {
        statsd.gauge(`_stats.${name}.cpu_max`, Math.max(...cpus), 'float');
        statsd.gauge(`_stats.${name}.cpu_sum`, sum(cpus), 'float');
      }
      if (mems.length > 0) {
        statsd.gauge(`_stats.${name}.mem_pct_max`, Math.max(...mems), 'float');
        statsd.gauge(`_stats.${name}.mem_pct_sum`, sum(mems), 'float');
      }
      if (bytes.length > 0) {
        statsd.gauge(`_stats.${name}.mem_max`, Math.max(...bytes));
        statsd.gauge(`_stats.${name}.mem_sum`, sum(bytes));
      }
    }
  }
}
