/**
 * Reads Python `logging.config.dictConfig` documents (the `.json` and `.yaml`
 * logger configs of Circus) into a {@link LoggingSetup}. Supported: `version`,
 * `disable_existing_loggers`, `formatters` (`format`, `datefmt`, `style: %`),
 * `handlers` (`class`, `level`, `formatter` and the class's constructor
 * arguments), `loggers` and `root` (`level`, `handlers`, `propagate`).
 */
import { LoggingConfigError } from '../circusd/errors';
import { Formatter } from './formatter';
import { parseConfigLevel, NOTSET } from './levels';
import {
  handlerOptions,
  resolveHandlerClass,
  type FormatterSpec,
  type HandlerSpec,
  type LoggerSpec,
  type LoggingSetup,
} from './logging-setup';

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function section(doc: Dict, key: string, source: string): Dict {
  const value = doc[key];
  if (value === undefined || value === null) return {};
  if (!isDict(value)) throw new LoggingConfigError(`${source}: '${key}' must be a mapping`);
  return value;
}

function entry(value: unknown, where: string): Dict {
  if (value === null || value === undefined) return {};
  if (!isDict(value)) throw new LoggingConfigError(`${where}: must be a mapping`);
  return value;
}

function checkKeys(d: Dict, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(d)) {
    if (!allowed.includes(key)) {
      throw new LoggingConfigError(`${where}: unsupported key '${key}' (supported: ${allowed.join(', ')})`);
    }
  }
}

/** Python truthiness of a config value (YAML `no` already arrives as false). */
function truthy(value: unknown): boolean {
  return !(value === false || value === 0 || value === '' || value === null || value === undefined ||
    (Array.isArray(value) && value.length === 0));
}

function formatterSpec(d: Dict, where: string): FormatterSpec {
  checkKeys(d, ['format', 'datefmt', 'style', 'validate'], where);
  if (d.style !== undefined && d.style !== '%') {
    throw new LoggingConfigError(`${where}: only style '%' is supported, got ${JSON.stringify(d.style)}`);
  }
  const format = d.format === undefined || d.format === null ? '%(message)s' : String(d.format);
  const datefmt = d.datefmt === undefined || d.datefmt === null ? null : String(d.datefmt);
  // Built once here so a bad format is reported before any file is opened.
  new Formatter(format, datefmt, where);
  return { format, datefmt };
}

function handlerNames(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new LoggingConfigError(`${where}: 'handlers' must be a list of handler names`);
  }
  return value as string[];
}

function loggerSpec(name: string, d: Dict, where: string, handlers: ReadonlyMap<string, HandlerSpec>): LoggerSpec {
  checkKeys(d, ['level', 'handlers', 'propagate', 'filters'], where);
  if (d.filters !== undefined && handlerNames(d.filters, where).length > 0) {
    throw new LoggingConfigError(`${where}: filters are not supported`);
  }
  const names = handlerNames(d.handlers, where);
  for (const h of names) {
    if (!handlers.has(h)) throw new LoggingConfigError(`${where}: unknown handler '${h}'`);
  }
  return {
    name,
    level: d.level === undefined || d.level === null ? null : parseConfigLevel(d.level, where),
    handlers: names,
    propagate: d.propagate === undefined ? true : truthy(d.propagate),
  };
}

/** Turns a parsed dictConfig document into a {@link LoggingSetup}; `source` names the file in errors. */
export function parseDictConfig(doc: unknown, source: string): LoggingSetup {
  if (!isDict(doc)) throw new LoggingConfigError(`${source}: the logging configuration must be a mapping`);
  if (doc.version === undefined) throw new LoggingConfigError(`${source}: 'version' is missing (dictConfig needs version: 1)`);
  if (doc.version !== 1) throw new LoggingConfigError(`${source}: unsupported version ${JSON.stringify(doc.version)} (only 1)`);
  checkKeys(doc, ['version', 'disable_existing_loggers', 'incremental', 'formatters', 'filters', 'handlers', 'loggers', 'root'], source);
  if (truthy(doc.incremental)) throw new LoggingConfigError(`${source}: incremental configurations are not supported`);
  if (Object.keys(section(doc, 'filters', source)).length > 0) {
    throw new LoggingConfigError(`${source}: filters are not supported`);
  }

  const formatters = new Map<string, FormatterSpec>();
  for (const [name, value] of Object.entries(section(doc, 'formatters', source))) {
    formatters.set(name, formatterSpec(entry(value, `${source}: formatter '${name}'`), `${source}: formatter '${name}'`));
  }

  const handlers = new Map<string, HandlerSpec>();
  for (const [name, value] of Object.entries(section(doc, 'handlers', source))) {
    const where = `${source}: handler '${name}'`;
    const d = entry(value, where);
    const { class: cls, level, formatter, filters, ...kwargs } = d;
    if (filters !== undefined && handlerNames(filters, where).length > 0) {
      throw new LoggingConfigError(`${where}: filters are not supported`);
    }
    const fmt = formatter === undefined || formatter === null ? null : String(formatter);
    if (fmt !== null && !formatters.has(fmt)) throw new LoggingConfigError(`${where}: unknown formatter '${fmt}'`);
    handlers.set(name, {
      name,
      level: level === undefined || level === null ? NOTSET : parseConfigLevel(level, where),
      formatter: fmt,
      options: handlerOptions(resolveHandlerClass(cls, where), kwargs, where),
    });
  }

  const loggers: LoggerSpec[] = [];
  for (const [name, value] of Object.entries(section(doc, 'loggers', source))) {
    const where = `${source}: logger '${name}'`;
    loggers.push(loggerSpec(name === '' ? 'root' : name, entry(value, where), where, handlers));
  }
  if (doc.root !== undefined && doc.root !== null) {
    loggers.push(loggerSpec('root', entry(doc.root, `${source}: root`), `${source}: root`, handlers));
  }
  return { source, formatters, handlers, loggers };
}
