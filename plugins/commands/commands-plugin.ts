import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import {
  Arbiter,
  CircusConfig,
  CommandRegistry,
  ConfigSource,
  DisposableStore,
  ExclusiveLock,
  Logger,
  ProcessSampler,
  ProcessTree,
  type CorePlugin,
} from '../../kernel';
import { addCommand } from './add';
import { decrCommand } from './decr';
import type { CommandDeps, CommandFactory } from './deps';
import { dstatsCommand } from './dstats';
import { getCommand } from './get';
import { globaloptionsCommand } from './globaloptions';
import { incrCommand } from './incr';
import { ipythonCommand } from './ipython';
import { killCommand } from './kill';
import { listCommand } from './list';
import { listenCommand } from './listen';
import { listsocketsCommand } from './listsockets';
import { numprocessesCommand } from './numprocesses';
import { numwatchersCommand } from './numwatchers';
import { optionsCommand } from './options';
import { quitCommand } from './quit';
import { reloadCommand } from './reload';
import { reloadconfigCommand } from './reloadconfig';
import { restartCommand } from './restart';
import { rmCommand } from './rm';
import { setCommand } from './set';
import { signalCommand } from './signal';
import { startCommand } from './start';
import { statsCommand } from './stats';
import { statusCommand } from './status';
import { stopCommand } from './stop';

/** Every built-in command of spec/protocol.md section 2 (`listen` only refers the client to pub/sub). */
export const BUILTIN_COMMANDS: readonly CommandFactory[] = [
  addCommand, decrCommand, dstatsCommand, getCommand, globaloptionsCommand, incrCommand, ipythonCommand,
  killCommand, listCommand, listenCommand, listsocketsCommand, numprocessesCommand, numwatchersCommand, optionsCommand,
  quitCommand, reloadCommand, reloadconfigCommand, restartCommand, rmCommand, setCommand, signalCommand,
  startCommand, statsCommand, statusCommand, stopCommand,
];

/**
 * The built-in commands plugin: start() registers every Circus command
 * in the arbiter's CommandRegistry, stop() removes them. It holds no state
 * beyond the configuration last applied by reloadconfig; `stats` and
 * `dstats` read the shared ProcessSampler the cli registers.
 */
@injectable()
export class CommandsPlugin implements CorePlugin {
  private readonly registered = new DisposableStore();

  constructor(
    @inject(Arbiter) private readonly arbiter: Arbiter,
    @inject(CommandRegistry) private readonly registry: CommandRegistry,
    @inject(ExclusiveLock) private readonly lock: ExclusiveLock,
    @inject(CircusConfig) private readonly config: CircusConfig,
    @inject(ConfigSource) private readonly configSource: ConfigSource | null,
    @inject(ProcessTree) private readonly tree: ProcessTree,
    @inject(ProcessSampler) private readonly sampler: ProcessSampler,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const deps: CommandDeps = {
      arbiter: this.arbiter,
      lock: this.lock,
      config: this.config,
      configSource: this.configSource,
      tree: this.tree,
      processInfo: this.sampler,
      logger: this.logger,
      applied: { config: this.config },
    };
    for (const make of BUILTIN_COMMANDS) this.registered.add(this.registry.register(make(deps)));
  }

  async stop(): Promise<void> {
    this.registered.dispose();
  }
}
