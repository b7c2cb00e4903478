/**
 * Reads Python `logging.config.fileConfig` INI files into a
 * {@link LoggingSetup}: `[loggers]`, `[handlers]`, `[formatters]` with their
 * `keys=` lists, then `[logger_NAME]` (`level`, `handlers`, `propagate`,
 * `qualname`), `[handler_NAME]` (`class`, `level`, `formatter`, `args`,
 * `kwargs`) and `[formatter_NAME]` (`format`, `datefmt`). The INI syntax is
 * read by the config loader's parser.
 */
import { parseIni, type IniDocument } from '../../config/index';
import { LoggingConfigError } from '../circusd/errors';
import { Formatter } from './formatter';
import { NOTSET, parseConfigLevel } from './levels';
import {
  handlerOptions,
  POSITIONAL_PARAMS,
  resolveHandlerClass,
  type FormatterSpec,
  type HandlerSpec,
  type LoggerSpec,
  type LoggingSetup,
} from './logging-setup';
import { parsePyLiteral } from './py-literal';

/** Options of a section with keys lower-cased, as Python's configparser stores them. */
function options(doc: IniDocument, section: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of doc.items(section)) {
    const k = key.toLowerCase();
    if (!out.has(k)) out.set(k, value.value);
  }
  return out;
}

function keyList(doc: IniDocument, section: string, source: string, required: boolean): string[] {
  if (!doc.hasSection(section)) {
    if (required) throw new LoggingConfigError(`${source}: section [${section}] is missing`);
    return [];
  }
  const keys = options(doc, section).get('keys') ?? '';
  return keys
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
}

function requireSection(doc: IniDocument, section: string, source: string): Map<string, string> {
  if (!doc.hasSection(section)) throw new LoggingConfigError(`${source}: section [${section}] is missing`);
  return options(doc, section);
}

/** Python configparser's `%%` escape in interpolated values (`args`, `kwargs`). */
function interpolate(value: string): string {
  return value.replace(/%%/g, '%');
}

function handlerSpec(doc: IniDocument, name: string, source: string, formatters: ReadonlyMap<string, FormatterSpec>): HandlerSpec {
  const section = `handler_${name}`;
  const where = `${source} [${section}]`;
  const o = requireSection(doc, section, source);
  const cls = resolveHandlerClass(o.get('class'), `${where} class`);
  const argsValue = parsePyLiteral(interpolate(o.get('args') ?? '()'), `${where} args`);
  const args = Array.isArray(argsValue) ? argsValue : [argsValue];
  const kwargsValue = parsePyLiteral(interpolate(o.get('kwargs') ?? '{}'), `${where} kwargs`);
  if (typeof kwargsValue !== 'object' || kwargsValue === null || Array.isArray(kwargsValue)) {
    throw new LoggingConfigError(`${where} kwargs: must be a dict`);
  }
  const params = POSITIONAL_PARAMS[cls];
  if (args.length > params.length) {
    throw new LoggingConfigError(`${where} args: ${cls} takes at most ${params.length} arguments (${params.join(', ')})`);
  }
  const kwargs: Record<string, unknown> = { ...kwargsValue };
  args.forEach((value, i) => {
    kwargs[params[i]] = value;
  });
  const formatter = o.get('formatter') ?? '';
  if (formatter !== '' && !formatters.has(formatter)) {
    throw new LoggingConfigError(`${where} formatter: unknown formatter '${formatter}' (not listed in [formatters])`);
  }
  const level = o.get('level');
  return {
    name,
    level: level === undefined || level === '' ? NOTSET : parseConfigLevel(level, `${where} level`),
    formatter: formatter === '' ? null : formatter,
    options: handlerOptions(cls, kwargs, where),
  };
}

function loggerSpec(doc: IniDocument, key: string, source: string, handlers: ReadonlyMap<string, HandlerSpec>): LoggerSpec {
  const section = `logger_${key}`;
  const where = `${source} [${section}]`;
  const o = requireSection(doc, section, source);
  const isRoot = key === 'root';
  const qualname = isRoot ? 'root' : o.get('qualname');
  if (!qualname) throw new LoggingConfigError(`${where}: 'qualname' is missing`);
  const names = (o.get('handlers') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  for (const h of names) {
    if (!handlers.has(h)) throw new LoggingConfigError(`${where} handlers: unknown handler '${h}' (not listed in [handlers])`);
  }
  const level = o.get('level');
  const propagate = o.get('propagate') ?? '1';
  if (!/^\s*-?\d+\s*$/.test(propagate)) throw new LoggingConfigError(`${where} propagate: must be 0 or 1, got '${propagate}'`);
  return {
    name: qualname,
    level: level === undefined || level === '' ? null : parseConfigLevel(level, `${where} level`),
    handlers: names,
    propagate: Number(propagate) !== 0,
  };
}

/** Parses the fileConfig INI `text` of `source` into a {@link LoggingSetup}. */
export function parseFileConfig(text: string, source: string): LoggingSetup {
  let doc: IniDocument;
  try {
    doc = parseIni(text, source);
  } catch (error) {
    throw new LoggingConfigError((error as Error).message);
  }
  const formatters = new Map<string, FormatterSpec>();
  for (const name of keyList(doc, 'formatters', source, false)) {
    const section = `formatter_${name}`;
    const o = requireSection(doc, section, source);
    const format = o.get('format') || '%(message)s';
    const datefmt = o.get('datefmt') || null;
    const style = o.get('style');
    if (style !== undefined && style !== '%') {
      throw new LoggingConfigError(`${source} [${section}] style: only '%' is supported, got '${style}'`);
    }
    new Formatter(format, datefmt, `${source} [${section}]`);
    formatters.set(name, { format, datefmt });
  }
  const handlers = new Map<string, HandlerSpec>();
  for (const name of keyList(doc, 'handlers', source, false)) {
    handlers.set(name, handlerSpec(doc, name, source, formatters));
  }
  const keys = keyList(doc, 'loggers', source, true);
  if (!keys.includes('root')) throw new LoggingConfigError(`${source} [loggers] keys: must list 'root'`);
  const loggers = keys.map((key) => loggerSpec(doc, key, source, handlers));
  return { source, formatters, handlers, loggers };
}
