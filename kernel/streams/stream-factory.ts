import { loadResolvedExport, resolveModuleSpec, ResolveContext } from '../../config/module-resolver';
import { builtinStreamClass, checkStream } from '../../config/stream-check';
import { ConstructionError, errorMessage } from '../errors';
import { FancyStdoutStream } from './fancy-stdout-stream';
import { FileStream } from './file-stream';
import { QueueStream } from './queue-stream';
import { StdoutStream } from './stdout-stream';
import { OutputStream, StreamContext, StreamRecord } from './stream-types';
import { TimedRotatingFileStream } from './timed-rotating-file-stream';
import { WatchedFileStream } from './watched-file-stream';

type Builtin = new (options: Readonly<Record<string, string>>, ctx: StreamContext) => OutputStream;

const BUILTINS: Readonly<Record<string, Builtin>> = {
  FileStream,
  WatchedFileStream,
  TimedRotatingFileStream,
  QueueStream,
  StdoutStream,
  FancyStdoutStream,
};

/** Which output a stream map configures. */
export type StreamKey = 'stdout_stream' | 'stderr_stream';

/**
 * Builds the stream a `stdout_stream.*` / `stderr_stream.*` map selects
 * (spec/daemon.md 4.2), or null when the map is empty. Built-ins get the
 * remaining keys as options; a custom class is resolved like a hook (spec
 * 5.3, the config's own resolver) and constructed with them. Every problem
 * (invalid map, unknown or unloadable class, a constructor that throws)
 * is a ConstructionError naming the watcher and the stream.
 */
export function createOutputStream(
  watcher: string,
  which: StreamKey,
  options: Readonly<Record<string, string>>,
  where: ResolveContext,
  ctx: StreamContext,
): OutputStream | null {
  const fail = (detail: string, cause?: unknown): never => {
    throw new ConstructionError(watcher, detail, cause === undefined ? undefined : { cause });
  };
  if (Object.keys(options).length === 0) return null;
  const reasons = checkStream(which, options, where);
  if (reasons.length > 0) fail(reasons.join('; '));
  const rest: Record<string, string> = { ...options };
  delete rest.class;
  const builtin = builtinStreamClass(options);
  try {
    if (builtin) return new BUILTINS[builtin](rest, ctx);
    return customStream(options.class as string, rest, where);
  } catch (err) {
    if (err instanceof ConstructionError) throw err;
    return fail(`${which}: cannot create the stream: ${errorMessage(err)}`, err);
  }
}

/**
 * A user's class (`constructor(options)`, `write(record)`, optional
 * `open()`/`close()`) or a plain function, which is called with each record.
 */
function customStream(spec: string, options: Readonly<Record<string, string>>, where: ResolveContext): OutputStream {
  const found = resolveModuleSpec(spec, where);
  if (!found.ok) throw new Error(found.reason);
  const loaded = loadResolvedExport(found);
  if (!loaded.ok) throw new Error(loaded.reason);
  if (!loaded.checked) throw new Error(`${found.file} is an ES module; a stream class must be loadable with require()`);
  const value = loaded.value;
  if (typeof value !== 'function') throw new Error(`'${spec}' is not a class or function`);
  const proto = (value as { prototype?: { write?: unknown } }).prototype;
  if (proto && typeof proto.write === 'function') {
    const Cls = value as new (o: Readonly<Record<string, string>>) => OutputStream;
    return new Cls({ ...options });
  }
  const fn = value as (record: StreamRecord) => void | Promise<void>;
  return { write: (record) => fn(record) };
}
