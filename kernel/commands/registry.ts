import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { ExclusiveLock } from '../arbiter/exclusive-lock';
import { Disposable, toDisposable } from '../disposable';
import { AlreadyExistsError, MissingPropertyError, NotFoundError } from '../errors';

/**
 * What a command produced. `value`: the command has finished and this is
 * its answer. `background`: the command was accepted and goes on; a
 * transport answers at once unless the client asked to wait (`waiting`,
 * spec/protocol.md 1.6), and then answers with what `background` resolves
 * to. Errors a client must see at once (unknown watcher, bad argument, lock
 * conflict) are thrown before `background` is returned.
 */
export type CommandOutcome<R = unknown> = { readonly value: R } | { readonly background: Promise<R> };

/** An outcome of a command that has finished. */
export function answered<R>(value: R): CommandOutcome<R> {
  return { value };
}

/** An outcome of a command whose work goes on after the reply. */
export function started<R>(background: Promise<R>): CommandOutcome<R> {
  // Observed by whoever waits; without a waiter a failure is reported by the transport's log.
  background.catch(() => undefined);
  return { background };
}

/** One control command: what it needs and what it does. */
export interface CommandDefinition<R = unknown> {
  /** Circus command name (`list`, `incr`, ...), lower case. */
  readonly name: string;
  /** Properties that must be present in the request. */
  readonly properties: readonly string[];
  /**
   * False for commands that never read their properties (`numwatchers`,
   * `dstats`, `listsockets`, ...): a transport then ignores a `properties`
   * that is not an object instead of refusing it. Default true.
   */
  readonly readsProperties?: boolean;
  /**
   * Runs the command. A command that changes state takes the arbiter's
   * {@link ExclusiveLock} itself, under Circus's lock name, before it
   * returns, and releases it when its work (background included) is over.
   */
  execute(props: Readonly<Record<string, unknown>>): Promise<CommandOutcome<R>>;
}

/**
 * Name -> command definition. Built-in commands are registered by a plugin;
 * transports only decode, call {@link CommandRegistry.invoke}, and encode.
 */
@injectable()
export class CommandRegistry {
  private readonly commands = new Map<string, CommandDefinition>();

  constructor(@inject(ExclusiveLock) readonly lock: ExclusiveLock) {}

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
   * Checks the required properties and runs the command; resolves with its
   * outcome (an answer, or work going on in the background).
   * Rejects with NotFoundError (unknown name), MissingPropertyError, or
   * whatever the command throws (ConflictError when the lock is taken).
   */
  async invoke(name: string, props: Readonly<Record<string, unknown>> = {}): Promise<CommandOutcome> {
    const def = this.get(name);
    for (const p of def.properties) if (!(p in props)) throw new MissingPropertyError(name, p);
    return def.execute(props);
  }

  /** Like {@link invoke}, but waits for background work too: resolves with the final result. */
  async execute(name: string, props: Readonly<Record<string, unknown>> = {}): Promise<unknown> {
    const outcome = await this.invoke(name, props);
    return 'background' in outcome ? outcome.background : outcome.value;
  }
}
