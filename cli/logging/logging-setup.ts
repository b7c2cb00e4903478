/**
 * The normalized form of a logger config file, whatever its syntax (fileConfig
 * INI, dictConfig JSON/YAML): formatters, handlers with validated options,
 * loggers. Both readers produce it; {@link applySetup} builds the handlers.
 */
import { LoggingConfigError } from '../circusd/errors';
import { FileHandler, WatchedFileHandler } from './file-handler';
import { Formatter } from './formatter';
import type { Handler } from './handler';
import type { LogManager } from './log-manager';
import { RotatingFileHandler } from './rotating-file-handler';
import { StreamHandler, type ConsoleStream } from './stream-handler';
import { SYSLOG_FACILITIES, SYSLOG_UDP_PORT, SysLogHandler, type SyslogAddress } from './syslog-handler';

/** The handler classes we implement (Python class names). */
export type HandlerClass = 'StreamHandler' | 'FileHandler' | 'WatchedFileHandler' | 'RotatingFileHandler' | 'SysLogHandler';

/** A formatter entry. */
export interface FormatterSpec {
  readonly format: string;
  readonly datefmt: string | null;
}

/** Validated handler options, by class. */
export type HandlerOptions =
  | { readonly cls: 'StreamHandler'; readonly stream: ConsoleStream }
  | {
      readonly cls: 'FileHandler' | 'WatchedFileHandler' | 'RotatingFileHandler';
      readonly filename: string;
      readonly mode: string;
      readonly delay: boolean;
      readonly maxBytes: number;
      readonly backupCount: number;
    }
  | { readonly cls: 'SysLogHandler'; readonly address: SyslogAddress; readonly facility: number };

/** A handler entry. */
export interface HandlerSpec {
  readonly name: string;
  readonly level: number;
  readonly formatter: string | null;
  readonly options: HandlerOptions;
}

/** A logger entry (`root` for the root logger). */
export interface LoggerSpec {
  readonly name: string;
  /** null = leave the level as it is (Python: root WARNING, others NOTSET). */
  readonly level: number | null;
  readonly handlers: readonly string[];
  readonly propagate: boolean;
}

/** A whole logger configuration. */
export interface LoggingSetup {
  /** The file it came from, for messages. */
  readonly source: string;
  readonly formatters: ReadonlyMap<string, FormatterSpec>;
  readonly handlers: ReadonlyMap<string, HandlerSpec>;
  readonly loggers: readonly LoggerSpec[];
}

const CLASS_PREFIXES = ['', 'logging.', 'logging.handlers.', 'handlers.'];
const CLASS_NAMES: readonly HandlerClass[] = [
  'StreamHandler',
  'FileHandler',
  'WatchedFileHandler',
  'RotatingFileHandler',
  'SysLogHandler',
];

/** Maps `logging.handlers.WatchedFileHandler` (or `handlers.X`, `X`) to a class we implement. */
export function resolveHandlerClass(name: unknown, where: string): HandlerClass {
  if (typeof name === 'string') {
    for (const cls of CLASS_NAMES) {
      if (CLASS_PREFIXES.some((p) => name.trim() === `${p}${cls}`)) return cls;
    }
  }
  throw new LoggingConfigError(
    `${where}: unsupported handler class ${JSON.stringify(name)} (supported: logging.StreamHandler, ` +
      'logging.FileHandler, logging.handlers.WatchedFileHandler, logging.handlers.RotatingFileHandler, ' +
      'logging.handlers.SysLogHandler)',
  );
}

/** Python constructor parameters in order, so fileConfig positional `args` can be named. */
export const POSITIONAL_PARAMS: Readonly<Record<HandlerClass, readonly string[]>> = {
  StreamHandler: ['stream'],
  FileHandler: ['filename', 'mode', 'encoding', 'delay', 'errors'],
  WatchedFileHandler: ['filename', 'mode', 'encoding', 'delay', 'errors'],
  RotatingFileHandler: ['filename', 'mode', 'maxBytes', 'backupCount', 'encoding', 'delay', 'errors'],
  SysLogHandler: ['address', 'facility', 'socktype'],
};

function str(value: unknown, where: string, key: string): string {
  if (typeof value !== 'string') throw new LoggingConfigError(`${where}: '${key}' must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function int(value: unknown, where: string, key: string): number {
  const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new LoggingConfigError(`${where}: '${key}' must be an integer, got ${JSON.stringify(value)}`);
  }
  return n;
}

function consoleStream(value: unknown, where: string): ConsoleStream {
  if (value === null || value === undefined) return 'stderr';
  if (value === 'ext://sys.stdout') return 'stdout';
  if (value === 'ext://sys.stderr') return 'stderr';
  throw new LoggingConfigError(`${where}: 'stream' must be ext://sys.stdout or ext://sys.stderr, got ${JSON.stringify(value)}`);
}

function syslogAddress(value: unknown, where: string): SyslogAddress {
  if (value === undefined || value === null) return { kind: 'udp', host: 'localhost', port: SYSLOG_UDP_PORT };
  if (typeof value === 'string') return { kind: 'unix', path: value };
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string') {
    return { kind: 'udp', host: value[0], port: int(value[1], where, 'address port') };
  }
  throw new LoggingConfigError(`${where}: 'address' must be a socket path or [host, port], got ${JSON.stringify(value)}`);
}

function facility(value: unknown, where: string): number {
  if (value === undefined || value === null) return SYSLOG_FACILITIES.user;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && SYSLOG_FACILITIES[value.toLowerCase()] !== undefined) {
    return SYSLOG_FACILITIES[value.toLowerCase()];
  }
  throw new LoggingConfigError(`${where}: unknown syslog facility ${JSON.stringify(value)}`);
}

/**
 * Validates the constructor keyword arguments of a handler (`kwargs` of
 * dictConfig, or fileConfig `args` named by {@link POSITIONAL_PARAMS}).
 * Unknown keys are errors, as Python's TypeError would be.
 */
export function handlerOptions(cls: HandlerClass, kwargs: Readonly<Record<string, unknown>>, where: string): HandlerOptions {
  const allowed = POSITIONAL_PARAMS[cls];
  for (const key of Object.keys(kwargs)) {
    if (!allowed.includes(key)) {
      throw new LoggingConfigError(`${where}: ${cls} does not take '${key}' (it takes ${allowed.join(', ')})`);
    }
  }
  switch (cls) {
    case 'StreamHandler':
      return { cls, stream: consoleStream(kwargs.stream, where) };
    case 'SysLogHandler': {
      const address = syslogAddress(kwargs.address, where);
      if (address.kind === 'udp' && kwargs.socktype !== undefined && kwargs.socktype !== null &&
        kwargs.socktype !== 'ext://socket.SOCK_DGRAM' && kwargs.socktype !== 2) {
        throw new LoggingConfigError(`${where}: only UDP (socket.SOCK_DGRAM) syslog is supported for host addresses`);
      }
      return { cls, address, facility: facility(kwargs.facility, where) };
    }
    default: {
      if (kwargs.filename === undefined) throw new LoggingConfigError(`${where}: ${cls} needs a 'filename'`);
      return {
        cls,
        filename: str(kwargs.filename, where, 'filename'),
        mode: kwargs.mode === undefined ? 'a' : str(kwargs.mode, where, 'mode'),
        delay: Boolean(kwargs.delay),
        maxBytes: kwargs.maxBytes === undefined ? 0 : int(kwargs.maxBytes, where, 'maxBytes'),
        backupCount: kwargs.backupCount === undefined ? 0 : int(kwargs.backupCount, where, 'backupCount'),
      };
    }
  }
}

/** Creates the handler object of `options` (opens files, resolves/connects syslog). */
export async function createHandler(options: HandlerOptions): Promise<Handler> {
  switch (options.cls) {
    case 'StreamHandler':
      return new StreamHandler(options.stream);
    case 'FileHandler':
      return new FileHandler(options.filename, options);
    case 'WatchedFileHandler':
      return new WatchedFileHandler(options.filename, options);
    case 'RotatingFileHandler':
      return new RotatingFileHandler(options.filename, options);
    default:
      return SysLogHandler.open(options.address, options.facility);
  }
}

/**
 * Builds every handler of `setup` and attaches them to the loggers of
 * `manager`. If one handler fails to open, those already opened are closed
 * and the error (naming the handler) is thrown.
 */
export async function applySetup(setup: LoggingSetup, manager: LogManager): Promise<void> {
  const built = new Map<string, Handler>();
  try {
    for (const spec of setup.handlers.values()) {
      const where = `${setup.source}: handler '${spec.name}'`;
      let handler: Handler;
      try {
        handler = await createHandler(spec.options);
      } catch (error) {
        if (error instanceof LoggingConfigError) throw new LoggingConfigError(`${where}: ${error.message}`, error.code as 'CIRCUSD_LOGGING_CONFIG');
        throw new LoggingConfigError(`${where}: ${(error as Error).message}`);
      }
      handler.level = spec.level;
      if (spec.formatter !== null) {
        const f = setup.formatters.get(spec.formatter);
        if (!f) throw new LoggingConfigError(`${where}: unknown formatter '${spec.formatter}'`);
        handler.formatter = new Formatter(f.format, f.datefmt, `${setup.source}: formatter '${spec.formatter}'`);
      }
      built.set(spec.name, handler);
    }
    for (const spec of setup.loggers) {
      const handlers = spec.handlers.map((name) => {
        const h = built.get(name);
        if (!h) throw new LoggingConfigError(`${setup.source}: logger '${spec.name}' uses unknown handler '${name}'`);
        return h;
      });
      const node = manager.node(spec.name);
      if (spec.level !== null) node.level = spec.level;
      node.handlers = handlers;
      if (node !== manager.root) node.propagate = spec.propagate;
    }
  } catch (error) {
    await Promise.allSettled([...built.values()].map((h) => h.close()));
    throw error;
  }
  // Python keeps handlers no logger uses open for nothing; we release them.
  const used = new Set(manager.handlers());
  await Promise.all([...built.values()].filter((h) => !used.has(h)).map((h) => h.close()));
}
