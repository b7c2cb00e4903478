import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { PluginConfigError, PluginContext, PluginOptions, type CircusPlugin, type Disposable } from '../../kernel';
import { StatsdClient, type StatsdOptions } from '../../protocol/statsd';
import { errorMessage } from '../../kernel';
import { CHECKS, parseMemoryLimit, sampleOf, violations, ViolationCounters, type Check, type MemoryLimit, type Thresholds } from './thresholds';

/** The options of a `[plugin:NAME]` section using resource_watcher, as the schema types them. */
export interface ResourceWatcherOptions extends StatsdOptions {
  readonly watcher?: string;
  readonly service?: string;
  readonly loop_rate: number;
  readonly max_cpu: number;
  readonly min_cpu?: number;
  readonly max_mem: string;
  readonly min_mem?: string;
  readonly health_threshold: number;
  readonly max_count: number;
  readonly process_children: boolean;
  readonly child_signal: number;
}

/** What start() makes of the options: the watcher and its limits. */
export interface ResourceWatcherSettings {
  readonly watcher: string;
  readonly thresholds: Thresholds;
  /** Logged once at start (the `service` deprecation). */
  readonly warnings: readonly string[];
}

function memoryLimit(option: string, text: string | undefined, problems: string[]): MemoryLimit | undefined {
  if (text === undefined) return undefined;
  try {
    return parseMemoryLimit(text);
  } catch (err) {
    problems.push(`${option}: ${errorMessage(err)}`);
    return undefined;
  }
}

/**
 * Reads the options the schema cannot check alone: `watcher` or its
 * deprecated alias `service`, and the two forms of `max_mem`/`min_mem`.
 * Each problem is added to `problems` as `key: why`; returns undefined
 * when there is any.
 */
export function resolveSettings(o: ResourceWatcherOptions, problems: string[]): ResourceWatcherSettings | undefined {
  const warnings: string[] = [];
  let watcher = o.watcher;
  if (watcher === undefined && o.service !== undefined) {
    watcher = o.service;
    warnings.push('ResourceWatcher.service is deprecated please use ResourceWatcher.watcher instead.');
  }
  if (watcher === undefined || watcher === '') problems.push('watcher: missing: watcher is mandatory (or the deprecated service)');
  const maxMem = memoryLimit('max_mem', o.max_mem, problems);
  const minMem = memoryLimit('min_mem', o.min_mem, problems);
  if (problems.length > 0 || watcher === undefined || maxMem === undefined) return undefined;
  return {
    watcher,
    warnings,
    thresholds: { maxCpu: o.max_cpu, minCpu: o.min_cpu, maxMem, minMem, healthThreshold: o.health_threshold },
  };
}

type Info = Readonly<Record<string, unknown>>;

/**
 * ResourceWatcher (spec/daemon.md 6.8): every `loop_rate` seconds, samples
 * the watcher's processes with `stats`, counts consecutive violations of
 * each limit, and past `max_count` restarts the watcher (or signals an
 * offending child with `process_children`). Every violation is also a
 * statsd counter `_resource_watcher.<watcher>.<check>`.
 */
@injectable()
export class ResourceWatcher implements CircusPlugin {
  private statsd: StatsdClient | null = null;
  private period: Disposable | null = null;
  private settings: ResourceWatcherSettings | null = null;
  private readonly counters = new ViolationCounters();

  constructor(
    @inject(PluginContext) private readonly ctx: PluginContext,
    @inject(PluginOptions) private readonly options: ResourceWatcherOptions,
  ) {}

  async start(): Promise<void> {
    const problems: string[] = [];
    const settings = resolveSettings(this.options, problems);
    if (!(this.options.loop_rate > 0)) problems.push(`loop_rate: must be positive, not ${this.options.loop_rate}`);
    // The host names the plugin too; the section and key make the line match its schema errors.
    if (!settings || problems.length > 0) throw new PluginConfigError(problems.map((p) => `[${this.ctx.name}] ${p}`));
    for (const w of settings.warnings) this.ctx.logger.warning(w);
    this.settings = settings;
    this.statsd = StatsdClient.fromOptions(this.options, this.ctx.logger);
    this.period = this.ctx.every(this.options.loop_rate, () => this.lookAfter());
  }

  async stop(): Promise<void> {
    this.period?.dispose();
    this.period = null;
    await this.statsd?.close();
    this.statsd = null;
  }

  /** Current consecutive-violation counters of an index (`parent` or a child pid), for tests and debugging. */
  countersOf(index: string): Readonly<Record<Check, number>> {
    return this.counters.get(index);
  }

  /** One period (spec 6.8 steps 1-5); public so tests can drive it without the timer. */
  async lookAfter(): Promise<void> {
    const { settings, statsd } = this;
    if (!settings || !statsd) return;
    const w = settings.watcher;
    let info: Record<string, unknown>;
    try {
      const reply = await this.ctx.call('stats', { name: w });
      info = (reply.info ?? {}) as Record<string, unknown>;
    } catch (err) {
      this.ctx.logger.debug(`stats of ${w} failed: ${errorMessage(err)}`);
      statsd.increment(`_resource_watcher.${w}.error`);
      return;
    }
    this.processIndex('parent', Object.values(info));
    if (!this.options.process_children) return;
    const alive = new Set<string>();
    for (const [pid, record] of Object.entries(info)) {
      if (typeof record !== 'object' || record === null) continue;
      const children = (record as Info).children;
      if (!Array.isArray(children)) continue;
      for (const child of children) {
        if (typeof child !== 'object' || child === null) continue;
        const childPid = String((child as Info).pid);
        alive.add(childPid);
        this.processIndex(childPid, [child], Number(pid));
      }
    }
    this.counters.retain(alive);
  }

  private processIndex(index: string, records: readonly unknown[], parentPid?: number): void {
    const settings = this.settings as ResourceWatcherSettings;
    const statsd = this.statsd as StatsdClient;
    const w = settings.watcher;
    const violated = violations(sampleOf(records), settings.thresholds);
    for (const check of CHECKS) if (violated.has(check)) statsd.increment(`_resource_watcher.${w}.${check}`);
    if (!this.counters.update(index, violated, this.options.max_count)) return;
    const over = CHECKS.filter((c) => this.counters.get(index)[c] > this.options.max_count).join(', ');
    statsd.increment(`_resource_watcher.${w}.restarting`);
    this.counters.reset(index);
    if (index === 'parent') {
      this.ctx.logger.info(`${w}: ${over} for more than ${this.options.max_count} checks: restarting`);
      this.ctx.cast('restart', { name: w });
    } else {
      // Circus sends `child_pid`, which `signal` ignores, so every process got the signal (quirk Q30): target the child.
      this.ctx.logger.info(`${w}: child ${index} of ${parentPid}: ${over} for more than ${this.options.max_count} checks: signal ${this.options.child_signal}`);
      this.ctx.cast('signal', { name: w, signum: this.options.child_signal, pid: parentPid, childpid: Number(index) });
    }
  }
}
