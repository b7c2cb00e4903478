/**
 * The command reloader (spec/daemon.md 6.12, Circus
 * `circus.plugins.command_reloader.CommandReloader`): every `loop_rate`
 * seconds, looks at the program file each watcher runs and restarts the
 * watcher when that file's modification time or real path changed since
 * the previous period. A watcher seen for the first time is only recorded.
 */
import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { errorMessage, PluginContext, PluginOptions, type CircusPlugin, type Disposable } from '../../kernel/index';
import { CommandFile, CommandSource, locateCommand } from './locate-command';

/** The options of a `[plugin:NAME]` section using the command reloader. */
export interface CommandReloaderOptions {
  /** Period in seconds; an int as in Circus (`'2'` -> 2). */
  readonly loop_rate: number;
}

/** Whether `now` differs from what was recorded (Circus's `is_modified`). */
export function isModified(seen: CommandFile | undefined, now: CommandFile): boolean {
  if (!seen) return false;
  return seen.mtimeNs !== now.mtimeNs || seen.path !== now.path;
}

function sourceOf(reply: Record<string, unknown>): CommandSource {
  const options = (reply.options ?? {}) as Record<string, unknown>;
  const env = options.env;
  return {
    cmd: String(options.cmd ?? ''),
    env: typeof env === 'object' && env !== null ? (env as Record<string, unknown>) : null,
    workingDir: typeof options.working_dir === 'string' && options.working_dir !== '' ? options.working_dir : process.cwd(),
  };
}

@injectable()
export class CommandReloaderPlugin implements CircusPlugin {
  /** Watcher name (as `list` gives it) -> its program as last seen. */
  private readonly files = new Map<string, CommandFile>();
  /** Last problem logged per watcher, so a missing program is reported once, not every period. */
  private readonly problems = new Map<string, string>();
  private period: Disposable | null = null;

  constructor(
    @inject(PluginContext) private readonly ctx: PluginContext,
    @inject(PluginOptions) private readonly options: CommandReloaderOptions,
  ) {}

  async start(): Promise<void> {
    this.period = this.ctx.every(this.options.loop_rate, () => this.lookAfter());
  }

  async stop(): Promise<void> {
    this.period?.dispose();
    this.period = null;
  }

  /** What is recorded for `watcher` (tests and diagnostics). */
  seen(watcher: string): CommandFile | undefined {
    return this.files.get(watcher);
  }

  /** One period: forget vanished watchers, then check every watcher's program. */
  async lookAfter(): Promise<void> {
    const listed = await this.ctx.call('list');
    const names = (Array.isArray(listed.watchers) ? (listed.watchers as unknown[]) : [])
      .map(String)
      .filter((name) => !name.startsWith('plugin:'));
    for (const known of [...this.files.keys()]) {
      if (!names.includes(known)) {
        this.files.delete(known);
        this.problems.delete(known);
      }
    }
    for (const name of names) await this.check(name);
  }

  private async check(name: string): Promise<void> {
    let current: CommandFile;
    try {
      const reply = await this.ctx.call('get', { name, keys: ['cmd', 'env', 'working_dir'] });
      current = await locateCommand(sourceOf(reply));
    } catch (err) {
      // Circus aborts the whole period here (Q31); one watcher's problem must not hide the others.
      this.report(name, `command_reloader: cannot check the command of ${name}: ${errorMessage(err)}`);
      return;
    }
    this.problems.delete(name);
    if (isModified(this.files.get(name), current)) {
      this.ctx.logger.info(`${current.path} modified. Restarting.`);
      try {
        await this.ctx.call('restart', { name });
      } catch (err) {
        // Keep the old record: the next period sees the change again and retries.
        this.ctx.logger.error(`command_reloader: restart of ${name} failed: ${errorMessage(err)}`);
        return;
      }
    }
    this.files.set(name, current);
  }

  private report(name: string, message: string): void {
    if (this.problems.get(name) === message) return;
    this.problems.set(name, message);
    this.ctx.logger.warning(message);
  }
}
