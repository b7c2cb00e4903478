/**
 * Python logging's numeric levels and names. Logger configuration files are
 * written for Python, so levels are kept numeric (a config may say `level: 15`)
 * and rendered with Python's names (`WARNING`, not `WARN`).
 */
import { LoggingConfigError } from '../circusd/errors';

export const NOTSET = 0;
export const DEBUG = 10;
export const INFO = 20;
export const WARNING = 30;
export const ERROR = 40;
export const CRITICAL = 50;

const NAME_TO_LEVEL: ReadonlyMap<string, number> = new Map([
  ['CRITICAL', CRITICAL],
  ['FATAL', CRITICAL],
  ['ERROR', ERROR],
  ['WARN', WARNING],
  ['WARNING', WARNING],
  ['INFO', INFO],
  ['DEBUG', DEBUG],
  ['NOTSET', NOTSET],
]);

/** The five names `--log-level` accepts, lower case first then upper case (argparse order of Circus). */
export const CLI_LEVEL_CHOICES: readonly string[] = Object.freeze([
  'critical',
  'error',
  'warning',
  'info',
  'debug',
  'CRITICAL',
  'ERROR',
  'WARNING',
  'INFO',
  'DEBUG',
]);

/** Python's `getLevelName`: `Level N` for numbers without a name. */
export function levelName(level: number): string {
  switch (level) {
    case CRITICAL:
      return 'CRITICAL';
    case ERROR:
      return 'ERROR';
    case WARNING:
      return 'WARNING';
    case INFO:
      return 'INFO';
    case DEBUG:
      return 'DEBUG';
    case NOTSET:
      return 'NOTSET';
    default:
      return `Level ${level}`;
  }
}

/**
 * The level of the default set-up (`[circus] loglevel`, `--log-level`): the
 * five names in any case; anything else silently means INFO, as in Circus.
 */
export function circusLevel(name: string | null | undefined): number {
  switch ((name ?? '').trim().toLowerCase()) {
    case 'critical':
      return CRITICAL;
    case 'error':
      return ERROR;
    case 'warning':
      return WARNING;
    case 'debug':
      return DEBUG;
    default:
      return INFO;
  }
}

/**
 * A level as written in a logger config file: a level name or an integer.
 * Names are matched case-insensitively (Python wants upper case; being lenient
 * here loses nothing). `where` names the config entry in the error.
 */
export function parseConfigLevel(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^\d+$/.test(text)) return Number(text);
    const found = NAME_TO_LEVEL.get(text.toUpperCase());
    if (found !== undefined) return found;
  }
  throw new LoggingConfigError(`${where}: unknown level ${JSON.stringify(value)}`);
}
