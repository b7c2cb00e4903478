import type { CircusConfig as CircusConfigModel } from '../config/model';

/**
 * DI token of the loaded configuration. The type lives in config/model.ts,
 * which must not depend on DI, so the symbol is declared here under the same
 * name as the interface.
 */
export type CircusConfig = CircusConfigModel;
export const CircusConfig = Symbol('CircusConfig');

/** DI token of the path of the INI file the config came from (string or null). */
export const ConfigPath = Symbol('ConfigPath');

/**
 * Where the configuration comes from, for `reloadconfig` (spec/daemon.md
 * 7.4.3): circusd provides it (the config loader and the file path); the
 * kernel and plugins never import the loader. Absent (null) when the
 * arbiter was built from an in-memory config.
 */
export interface ConfigSource {
  /** Path of the configuration file, for messages. */
  readonly path: string;
  /** Loads the file afresh; throws the loader's error (naming file, section, key) when it is invalid. */
  load(): CircusConfigModel;
}
export const ConfigSource = Symbol('ConfigSource');
