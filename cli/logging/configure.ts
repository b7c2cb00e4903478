/**
 * circusd's logging set-up (spec/daemon.md 7.5): the Circus default (one
 * handler on the root logger, Circus line format, level and output from the
 * CLI or `[circus]`), or a Python logging config file (`.ini` fileConfig,
 * `.json` / `.yaml` / `.yml` dictConfig).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { LoggingConfigError } from '../circusd/errors';
import { parseDictConfig } from './dict-config';
import { parseFileConfig } from './file-config';
import { WatchedFileHandler } from './file-handler';
import { CIRCUS_DATE_FORMAT, CIRCUS_LOG_FORMAT, CIRCUS_SYSLOG_DATE_FORMAT, Formatter } from './formatter';
import type { Handler } from './handler';
import { circusLevel } from './levels';
import { LogManager } from './log-manager';
import { applySetup, type LoggingSetup } from './logging-setup';
import { StreamHandler } from './stream-handler';
import { SYSLOG_FACILITIES, SYSLOG_UDP_PORT, SysLogHandler, type SyslogAddress } from './syslog-handler';

/** What circusd knows about logging after merging CLI and config (CLI wins). */
export interface LoggingOptions {
  /** Level name; unknown or missing means INFO. Ignored with a logger config file, as in Circus. */
  readonly level?: string | null;
  /** `-`, `stdout`, `stderr`, `syslog://...` or a file path; missing means `-`. */
  readonly output?: string | null;
  /** A logger config file, or `default` / missing for the Circus default. */
  readonly loggerConfig?: string | null;
}

/** Where the default set-up writes. */
export type LogOutput =
  | { readonly kind: 'console' }
  | { readonly kind: 'syslog'; readonly address: SyslogAddress; readonly facility: number }
  | { readonly kind: 'file'; readonly path: string };

/**
 * Parses a log output value. `-` and `stdout` write to stderr like Circus
 * (quirk Q37); `stderr` does too. `syslog://host[:port]?facility` is UDP,
 * `syslog:///path?facility` a unix socket; an unknown facility means `user`.
 */
export function parseLogOutput(output: string): LogOutput {
  if (output === '-' || output === 'stdout' || output === 'stderr') return { kind: 'console' };
  if (!output.startsWith('syslog://')) return { kind: 'file', path: output };
  let url: URL;
  try {
    url = new URL(output);
  } catch {
    throw new LoggingConfigError(`log output '${output}': not a valid syslog URL`, 'CIRCUSD_LOG_OUTPUT');
  }
  const query = url.search.replace(/^\?/, '');
  const facility = SYSLOG_FACILITIES[query] ?? SYSLOG_FACILITIES.user;
  if (url.hostname) {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return { kind: 'syslog', address: { kind: 'udp', host, port: url.port ? Number(url.port) : SYSLOG_UDP_PORT }, facility };
  }
  const socketPath = decodeURIComponent(url.pathname);
  if (!socketPath || socketPath === '/') {
    throw new LoggingConfigError(`log output '${output}': a syslog URL needs a host or a socket path`, 'CIRCUSD_LOG_OUTPUT');
  }
  return { kind: 'syslog', address: { kind: 'unix', path: socketPath }, facility };
}

async function defaultHandler(output: string): Promise<Handler> {
  const parsed = parseLogOutput(output);
  switch (parsed.kind) {
    case 'console': {
      const h = new StreamHandler('stderr');
      h.formatter = new Formatter(CIRCUS_LOG_FORMAT, CIRCUS_DATE_FORMAT);
      return h;
    }
    case 'syslog': {
      const h = await SysLogHandler.open(parsed.address, parsed.facility);
      h.formatter = new Formatter(CIRCUS_LOG_FORMAT, CIRCUS_SYSLOG_DATE_FORMAT);
      return h;
    }
    default: {
      let h: Handler;
      try {
        h = new WatchedFileHandler(parsed.path);
      } catch (error) {
        throw new LoggingConfigError(
          `cannot open the log output '${parsed.path}': ${(error as Error).message}`,
          'CIRCUSD_LOG_OUTPUT',
        );
      }
      h.formatter = new Formatter(CIRCUS_LOG_FORMAT, CIRCUS_DATE_FORMAT);
      return h;
    }
  }
}

/**
 * Reads a logger config file (path made absolute first, as Circus does) by
 * its extension, case-insensitively: `.ini`, `.json`, `.yaml` / `.yml`.
 */
export function readLoggerConfig(file: string): LoggingSetup {
  const absolute = path.resolve(file);
  const lower = absolute.toLowerCase();
  const kind = lower.endsWith('.ini') ? 'ini' : lower.endsWith('.json') ? 'json' : /\.ya?ml$/.test(lower) ? 'yaml' : null;
  if (kind === null) {
    throw new LoggingConfigError(
      `logger configuration file '${absolute}' is not in a recognized format: the name should end in .ini, .json, .yaml or .yml`,
    );
  }
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new LoggingConfigError(`cannot read the logger configuration file '${absolute}': ${(error as Error).message}`);
  }
  if (kind === 'ini') return parseFileConfig(text, absolute);
  let doc: unknown;
  try {
    // YAML 1.1 like PyYAML, so `propagate: no` is false as Circus users expect.
    doc = kind === 'json' ? JSON.parse(text) : YAML.parse(text, { version: '1.1' });
  } catch (error) {
    throw new LoggingConfigError(`${absolute}: not valid ${kind.toUpperCase()}: ${(error as Error).message}`);
  }
  return parseDictConfig(doc, absolute);
}

/**
 * Builds the log handlers of circusd. Resolves with the manager whose
 * `getLogger('circus')` the kernel receives; rejects with a
 * LoggingConfigError (nothing left open) when an output cannot be opened.
 */
export async function configureLogging(options: LoggingOptions, manager = new LogManager()): Promise<LogManager> {
  const config = options.loggerConfig?.trim();
  if (!config || config.toLowerCase() === 'default') {
    manager.root.level = circusLevel(options.level);
    const handler = await defaultHandler(options.output || '-');
    manager.root.handlers = [handler];
    return manager;
  }
  await applySetup(readLoggerConfig(config), manager);
  return manager;
}
