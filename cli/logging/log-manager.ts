/**
 * A small Python-logging hierarchy: named loggers with levels, handlers and
 * `propagate`, dotted names inheriting from their ancestors, the root logger
 * at the top. Logger config files are written against these semantics, so
 * they are reproduced rather than flattened into one sink.
 */
import type { Logger } from '../../kernel/index';
import type { Handler } from './handler';
import type { LogRecord } from './log-record';
import { CRITICAL, DEBUG, ERROR, INFO, NOTSET, WARNING, levelName } from './levels';

/** One node of the hierarchy (Python `logging.Logger` minus the API). */
export interface LoggerNode {
  readonly name: string;
  level: number;
  handlers: Handler[];
  propagate: boolean;
}

/** Supplies the time and pid of records; tests pass a fixed clock. */
export interface RecordSource {
  now(): number;
  pid(): number;
}

const SYSTEM_SOURCE: RecordSource = { now: () => Date.now(), pid: () => process.pid };

/** Owns the logger tree and every handler attached to it. */
export class LogManager {
  readonly root: LoggerNode = { name: 'root', level: WARNING, handlers: [], propagate: false };
  private readonly nodes = new Map<string, LoggerNode>();
  /** Python's "last resort": warnings and worse still reach stderr when no handler exists. */
  lastResort: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

  constructor(private readonly source: RecordSource = SYSTEM_SOURCE) {}

  /** The node of `name` (created on first use, level NOTSET, propagating). */
  node(name: string): LoggerNode {
    if (name === '' || name === 'root') return this.root;
    let found = this.nodes.get(name);
    if (!found) {
      found = { name, level: NOTSET, handlers: [], propagate: true };
      this.nodes.set(name, found);
    }
    return found;
  }

  /** The chain from `name` up to the root, nearest first (only existing nodes). */
  private chain(name: string): LoggerNode[] {
    const out: LoggerNode[] = [];
    let current = name;
    while (current) {
      const found = this.nodes.get(current);
      if (found) out.push(found);
      const dot = current.lastIndexOf('.');
      current = dot > 0 ? current.slice(0, dot) : '';
    }
    out.push(this.root);
    return out;
  }

  /** Python `getEffectiveLevel`. */
  effectiveLevel(name: string): number {
    for (const n of this.chain(name)) if (n.level !== NOTSET) return n.level;
    return NOTSET;
  }

  /** Logs `message` at `level` through logger `name`. */
  log(name: string, level: number, message: string): void {
    const chain = this.chain(name);
    let effective = NOTSET;
    for (const n of chain) {
      if (n.level !== NOTSET) {
        effective = n.level;
        break;
      }
    }
    if (level < effective) return;
    const record: LogRecord = {
      name,
      levelno: level,
      levelname: levelName(level),
      message,
      created: this.source.now(),
      process: this.source.pid(),
    };
    let handled = false;
    for (const n of chain) {
      for (const h of n.handlers) {
        handled = true;
        h.handle(record);
      }
      if (!n.propagate) break;
    }
    if (!handled && level >= WARNING) this.lastResort(message);
  }

  /** A kernel-facing {@link Logger} named `name`. */
  getLogger(name: string): Logger {
    return new ManagedLogger(this, name);
  }

  /** Every distinct handler attached anywhere in the tree. */
  handlers(): Handler[] {
    const all = new Set<Handler>(this.root.handlers);
    for (const n of this.nodes.values()) for (const h of n.handlers) all.add(h);
    return [...all];
  }

  /**
   * Re-opens the file handlers attached directly to logger `name` (what
   * Circus does for the `circus` logger on SIGHUP).
   */
  reopen(name = 'circus'): void {
    for (const h of this.node(name).handlers) {
      try {
        h.reopen();
      } catch (error) {
        h.onError(h, error);
      }
    }
  }

  /** Closes every handler and detaches them; resolves when all are flushed. */
  async close(): Promise<void> {
    const all = this.handlers();
    this.root.handlers = [];
    for (const n of this.nodes.values()) n.handlers = [];
    const results = await Promise.allSettled(all.map((h) => h.close()));
    results.forEach((r, i) => {
      if (r.status === 'rejected') all[i].onError(all[i], r.reason);
    });
  }
}

class ManagedLogger implements Logger {
  constructor(
    private readonly manager: LogManager,
    readonly name: string,
  ) {}

  debug(message: string): void {
    this.manager.log(this.name, DEBUG, message);
  }

  info(message: string): void {
    this.manager.log(this.name, INFO, message);
  }

  warning(message: string): void {
    this.manager.log(this.name, WARNING, message);
  }

  error(message: string): void {
    this.manager.log(this.name, ERROR, message);
  }

  critical(message: string): void {
    this.manager.log(this.name, CRITICAL, message);
  }

  /**
   * Python's `getChild`: `circus` + `control` is `circus.control`, so the
   * lines of plugins follow whatever a logger config says about `circus`.
   * A name already under this logger is kept as is.
   */
  child(name: string): Logger {
    const full = this.name === 'root' || name.startsWith(`${this.name}.`) ? name : `${this.name}.${name}`;
    return new ManagedLogger(this.manager, full);
  }
}
