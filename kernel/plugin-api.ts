/**
 * The contract between circusd and a `[plugin:NAME]` plugin (spec/daemon.md
 * 6.2-6.3, DESIGN.md "Plugins"). A plugin module exports a
 * {@link PluginDescriptor}; the plugin host validates the section's options
 * against its schema before any plugin starts, then resolves the plugin
 * class from a child container holding the {@link PluginContext} and the
 * typed, frozen options. The same class runs in-process (the context talks
 * to the command registry and the event bus) or out of process under
 * `circus-plugin` (the context talks to the control and pubsub endpoints).
 */
import type { Disposable } from './disposable';
import type { AnyCircusEvent, CircusEvent, CircusEventName } from './events';
import type { Logger } from './logger';

/** DI token of the {@link PluginContext} in a plugin's child container. */
export const PluginContext = Symbol('PluginContext');
/** DI token of the plugin's validated, frozen options (the schema's typed record). */
export const PluginOptions = Symbol('PluginOptions');

/** What a plugin can do; the same in-process and out of process. */
export interface PluginContext {
  /** `plugin:NAME` for a [plugin:NAME] section. */
  readonly name: string;
  /** The daemon's `[circus] check_delay` (the flapping plugin uses 5.0 as Circus does, spec 6.1). */
  readonly checkDelay: number;
  /** A logger named after the plugin. */
  readonly logger: Logger;
  /**
   * Runs a control command through the same dispatcher as the control
   * endpoint (exclusive lock included). Resolves with the command's result
   * fields (for a background command: `{}` at once, or the waited result when
   * `props.waiting` is truthy); rejects with an Error whose message is the
   * Circus reason (e.g. `program web not found`) on any failure.
   */
  call(command: string, props?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Fire and forget (`msg_type: "cast"`): a failure is logged, never thrown. */
  cast(command: string, props?: Record<string, unknown>): void;
  /**
   * Events with Circus's names and payloads (the pubsub topics' content),
   * delivered on a later tick than the kernel operation that produced them.
   */
  on<K extends CircusEventName>(name: K, listener: (event: CircusEvent<K>) => void): Disposable;
  /** Every event (for bridges such as statsd). */
  onAny(listener: (event: AnyCircusEvent) => void): Disposable;
  /** Runs `fn` every `seconds`, never overlapping itself; a run that throws is logged and the period goes on. */
  every(seconds: number, fn: () => unknown): Disposable;
}

/** One option of a plugin's schema; values arrive as INI strings and are converted once. */
export type PluginOptionSpec =
  | { readonly type: 'string'; readonly default?: string; readonly required?: boolean }
  | { readonly type: 'int'; readonly default?: number; readonly required?: boolean; readonly min?: number }
  | { readonly type: 'float'; readonly default?: number; readonly required?: boolean; readonly min?: number }
  | { readonly type: 'bool'; readonly default?: boolean; readonly required?: boolean }
  | { readonly type: 'regex'; readonly default?: string; readonly required?: boolean };

/** A plugin instance: start() does the I/O (subscriptions, timers, sockets); stop() releases all of it. */
export interface CircusPlugin {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What a plugin module exports (as `plugin`, or under the export named after
 * `:` in `use = ./file.js:Export`).
 */
export interface PluginDescriptor {
  /** Built-in short name (`flapping`); also how docs and logs name it. */
  readonly name: string;
  /** Other `use` values that select it (`circus.plugins.flapping.Flapping`). */
  readonly aliases?: readonly string[];
  /** The options of its section besides `use`, `priority` and `active`. Unknown keys are errors. */
  readonly options: Readonly<Record<string, PluginOptionSpec>>;
  /**
   * Whether the plugin honours `active = false` (Circus: Flapping,
   * CommandReloader and custom plugins do; WatchDog and the statsd family
   * always run).
   */
  readonly honoursActive?: boolean;
  /**
   * Checks that span several options or that a type cannot express (`max_mem`
   * as a percentage or a size). Runs with the converted options when the
   * schema found no problem, before any plugin starts; each returned line is
   * `key: why` and is reported as `[plugin:NAME] key: why`.
   */
  readonly validate?: (options: Readonly<Record<string, unknown>>) => readonly string[];
  /** The class, resolved from the plugin's child container (inject PluginContext and PluginOptions). */
  readonly plugin: new (...args: never[]) => CircusPlugin;
}
