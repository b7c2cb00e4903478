import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../../../config/index';
import {
  Arbiter,
  CircusConfig,
  CircusError,
  CommandOutcome,
  createArbiter,
  defaultCircusConfig,
  WatcherOptions,
  type CircusConfigOverrides,
} from '../../../../kernel';
import { CommandsPlugin } from '../../../../plugins/commands/commands-plugin';
import { createProcessSampler } from '../../../../plugins/stats/index';
import { ProcessSampler } from '../../../../kernel';
import { cleanup, fixture, makeTmp, MemoryLogger, processesWith, waitFor } from '../../kernel/helpers';

export { cleanup, fixture, makeTmp, MemoryLogger, processesWith, waitFor };

/** One arbiter with the commands plugin, its temp dir, and ways to call commands. */
export class Bench {
  arbiter: Arbiter | null = null;
  readonly tmp = makeTmp();
  readonly logger = new MemoryLogger();

  /** A sleeper watcher whose argv carries the temp dir (the leak-check marker). */
  sleeper(name: string, extra: Partial<WatcherOptions> = {}): WatcherOptions {
    return { name, cmd: process.execPath, args: [fixture('sleeper.js'), this.tmp, name], graceful_timeout: 2, ...extra };
  }

  /** Builds and starts an arbiter (housekeeping off) from options or a config. */
  async start(overrides: CircusConfigOverrides | CircusConfig, configPath?: string): Promise<Arbiter> {
    const config = 'watchers' in overrides && configPath ? (overrides as CircusConfig) : defaultCircusConfig({ check_delay: -1, ...overrides });
    const configSource = configPath ? { path: configPath, load: () => loadConfig(configPath).config } : undefined;
    const arbiter = createArbiter({ config, logger: this.logger, configPath, configSource });
    const sampler = createProcessSampler();
    arbiter.plugins.register({ name: 'commands', plugin: CommandsPlugin, configure: (c) => c.register(ProcessSampler, { useValue: sampler }) });
    this.arbiter = arbiter;
    await arbiter.start();
    return arbiter;
  }

  /** Writes an INI into the temp dir ({dir}, {node}, {sleeper} substituted) and returns its path. */
  writeIni(text: string, file = 'circus.ini'): string {
    const p = path.join(this.tmp, file);
    writeFileSync(p, text.replace(/\{dir\}/g, this.tmp).replace(/\{node\}/g, process.execPath).replace(/\{sleeper\}/g, fixture('sleeper.js')));
    return p;
  }

  get a(): Arbiter {
    if (!this.arbiter) throw new Error('arbiter not started');
    return this.arbiter;
  }

  /** The raw outcome of a command. */
  invoke(name: string, props: Record<string, unknown> = {}): Promise<CommandOutcome> {
    return this.a.commands.invoke(name, props);
  }

  /** An immediate answer (fails if the command went to the background). */
  async answer(name: string, props: Record<string, unknown> = {}): Promise<unknown> {
    const out = await this.invoke(name, props);
    assert.ok('value' in out, `${name} should answer at once`);
    return out.value;
  }

  /** A background command's final result (fails if it answered at once). */
  async waited(name: string, props: Record<string, unknown> = {}): Promise<unknown> {
    const out = await this.invoke(name, props);
    assert.ok('background' in out, `${name} should go on in the background`);
    return out.background;
  }

  /** Asserts the command fails with that error class and exact message. */
  async fails(name: string, props: Record<string, unknown>, cls: new (...args: never[]) => CircusError, message: string | RegExp): Promise<void> {
    await assert.rejects(this.invoke(name, props), (err: unknown) => {
      assert.ok(err instanceof cls, `expected ${cls.name}, got ${String(err)}`);
      if (typeof message === 'string') assert.equal((err as Error).message, message);
      else assert.match((err as Error).message, message);
      return true;
    });
  }

  /** Stops everything; returns leaked pids (asserted empty by the caller). */
  async close(): Promise<number[]> {
    return cleanup(this.arbiter, this.tmp);
  }
}
