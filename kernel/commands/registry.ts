import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { ExclusiveLock } from '../arbiter/exclusive-lock';
import { Disposable, toDisposable } from '../disposable';
import { AlreadyExistsError, MissingPropertyError, NotFoundError } from '../errors';

/** One control command: what it needs and what it does. */
export interface CommandDefinition<R = unknown> {
  /** Circus command name (`list`, `incr`, ...). */
  readonly name: string;
  /** Properties that must be present in the request. */
  readonly properties: readonly string[];
  /** Exclusive commands run under the arbiter lock (spec 2.17). */
  readonly exclusive: boolean;
  /** Runs the command; the result is what transports encode. */
  execute(props: Readonly<Record<string, unknown>>): Promise<R>;
}

/**
 * Name -> command definition. Built-in commands are registered by a plugin;
 * transports only decode, call {@link CommandRegistry.execute}, and encode.
 */
@injectable()
export class CommandRegistry {
  private readonly commands = new Map<string, CommandDefinition>();

  constructor(@inject(ExclusiveLock) private readonly lock: ExclusiveLock) {}

  /** Adds a command; the disposer removes it. Throws if the name is taken. */
  register(def: CommandDefinition): Disposable {
    if (this.commands.has(def.name)) throw new AlreadyExistsError('command', def.name);
    this.commands.set(def.name, def);
    return toDisposable(() => {
      if (this.commands.get(def.name) === def) this.commands.delete(def.name);
    });
  }

  has(name: string): boolean {
    return this.commands.has(name);
  }

  /** Throws NotFoundError for an unknown name. */
  get(name: string): CommandDefinition {
    const def = this.commands.get(name);
    if (!def) throw new NotFoundError('command', name);
    return def;
  }

  /** Registered names, sorted. */
  names(): string[] {
    return [...this.commands.keys()].sort();
  }

  /**
   * Validates the required properties and runs the command, under the
   * exclusive lock when the command is exclusive (ConflictError if taken).
   */
  async execute(name: string, props: Readonly<Record<string, unknown>> = {}): Promise<unknown> {
    const def = this.get(name);
    for (const p of def.properties) if (!(p in props)) throw new MissingPropertyError(name, p);
    if (def.exclusive) return this.lock.run(name, () => def.execute(props));
    return def.execute(props);
  }
}
