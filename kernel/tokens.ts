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
