import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { WatcherRecord } from '../../config/model';
import { Clock, Random } from '../clock';
import { EventBus } from '../event-bus';
import { hookLocation, HookResolver } from '../hooks/hook-resolver';
import { HookRunner } from '../hooks/hook-runner';
import { WatcherHooks } from '../hooks/watcher-hooks';
import { Logger } from '../logger';
import { ProcessTree } from '../process/proc-tree';
import { Spawner } from '../process/spawner';
import { CircusSockets } from '../sockets/circus-sockets';
import { OutputTap } from '../streams/output-tap';
import { WatcherStreams } from '../streams/watcher-streams';
import { ConfigPath } from '../tokens';
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
    @inject(ConfigPath) private readonly configPath: string | null,
    @inject(CircusSockets) private readonly sockets: CircusSockets,
    @inject(OutputTap) private readonly outputs: OutputTap,
  ) {}

  /**
   * Constructs one watcher; throws ConstructionError naming it on bad
   * options or on a hook that does not resolve (spec 5.2: resolved now,
   * relative to the config file's directory, spec 5.3).
   */
  create(record: WatcherRecord): Watcher {
    const cwd = this.host.cwd();
    const settings = buildWatcherSettings(record, { processEnv: this.host.env, cwd, logger: this.logger });
    const hooks = new WatcherHooks(settings, new HookResolver(hookLocation(this.configPath, cwd)));
    hooks.resolveAll();
    // Spec 4.1: streams are created with the watcher (file streams create their file now).
    const streams = WatcherStreams.build(settings, hookLocation(this.configPath, cwd), this.logger, undefined, this.outputs);
    return new Watcher(settings, {
      bus: this.bus,
      logger: this.logger,
      spawner: this.spawner,
      tree: this.tree,
      clock: this.clock,
      random: this.random,
      hooks: this.hooks,
      restartPolicies: this.restartPolicies,
      sockets: this.sockets,
    }, hooks, streams);
  }
}
