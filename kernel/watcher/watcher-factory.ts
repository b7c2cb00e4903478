import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { WatcherRecord } from '../../config/model';
import { Clock, Random } from '../clock';
import { EventBus } from '../event-bus';
import { HookRunner } from '../hooks/hook-runner';
import { Logger } from '../logger';
import { ProcessTree } from '../process/proc-tree';
import { Spawner } from '../process/spawner';
import { RestartPolicyFactory } from './restart-policy';
import { Watcher } from './watcher';
import { buildWatcherSettings } from './watcher-settings';

/** The circusd process facts construction reads (env, cwd); injectable for tests. */
export interface HostEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  cwd(): string;
}
export const HostEnvironment = Symbol('HostEnvironment');

/** Builds watchers from records with the arbiter's services. */
@injectable()
export class WatcherFactory {
  constructor(
    @inject(EventBus) private readonly bus: EventBus,
    @inject(Logger) private readonly logger: Logger,
    @inject(Spawner) private readonly spawner: Spawner,
    @inject(ProcessTree) private readonly tree: ProcessTree,
    @inject(Clock) private readonly clock: Clock,
    @inject(Random) private readonly random: Random,
    @inject(HookRunner) private readonly hooks: HookRunner,
    @inject(RestartPolicyFactory) private readonly restartPolicies: RestartPolicyFactory,
    @inject(HostEnvironment) private readonly host: HostEnvironment,
  ) {}

  /** Constructs one watcher; throws ConstructionError naming it on bad options. */
  create(record: WatcherRecord): Watcher {
    const settings = buildWatcherSettings(record, { processEnv: this.host.env, cwd: this.host.cwd(), logger: this.logger });
    return new Watcher(settings, {
      bus: this.bus,
      logger: this.logger,
      spawner: this.spawner,
      tree: this.tree,
      clock: this.clock,
      random: this.random,
      hooks: this.hooks,
      restartPolicies: this.restartPolicies,
    });
  }
}
