/**
 * What Circus finds wrong with a `stdout_stream.*` / `stderr_stream.*` map
 * only when it creates the stream (spec/daemon.md 4.2, 4.3), checked ahead
 * of time so `--print-config` can warn and the kernel can skip the watcher.
 */

import { CastError, toInt } from './cast';
import { resolveCallable, ResolveContext } from './module-resolver';

/** The built-in stream classes (4.3). */
export const BUILTIN_STREAMS: readonly string[] = [
  'FileStream',
  'WatchedFileStream',
  'TimedRotatingFileStream',
  'QueueStream',
  'StdoutStream',
  'FancyStdoutStream',
];

const ALIAS = /^circus\.stream\.(?:file_stream\.)?([A-Za-z_]\w*)$/;
const ROTATE_WHEN = /^(S|M|H|D|MIDNIGHT|W[0-6])$/i;

/**
 * The built-in class a stream map selects (`class`, a `circus.stream.*`
 * alias, or `FileStream` implied by `filename`), `null` for a custom class,
 * or `undefined` when no stream is configured.
 */
export function builtinStreamClass(options: Readonly<Record<string, string>>): string | null | undefined {
  if (Object.keys(options).length === 0) return undefined;
  const cls = options.class;
  if (cls === undefined) return options.filename !== undefined ? 'FileStream' : null;
  const alias = ALIAS.exec(cls);
  if (alias) return BUILTIN_STREAMS.includes(alias[1]) ? alias[1] : null;
  if (!cls.includes('.') && !cls.includes(':')) return BUILTIN_STREAMS.includes(cls) ? cls : null;
  return null;
}

/** Every reason the stream of `which` cannot be created (empty when fine). */
export function checkStream(which: string, options: Readonly<Record<string, string>>, ctx: ResolveContext): string[] {
  if (Object.keys(options).length === 0) return [];
  const cls = options.class;
  if (cls === undefined && options.filename === undefined) {
    return [`${which}: invalid stream configuration: set ${which}.class or ${which}.filename`];
  }
  const builtin = builtinStreamClass(options);
  if (builtin === null) {
    const isAlias = ALIAS.test(cls ?? '');
    if (isAlias || (!cls!.includes('.') && !cls!.includes(':'))) {
      return [`${which}.class: unknown stream class '${cls}' (built-in: ${BUILTIN_STREAMS.join(', ')})`];
    }
    const found = resolveCallable(cls!, ctx);
    return found.ok ? [] : [`${which}.class: ${found.reason}`];
  }
  const reasons: string[] = [];
  const intOption = (key: string): void => {
    if (options[key] === undefined) return;
    try {
      toInt(options[key]);
    } catch (err) {
      if (!(err instanceof CastError)) throw err;
      reasons.push(`${which}.${key}: ${err.message}`);
    }
  };
  if (builtin === 'FileStream' || builtin === 'WatchedFileStream' || builtin === 'TimedRotatingFileStream') {
    intOption('max_bytes');
    intOption('backup_count');
  }
  if (builtin === 'TimedRotatingFileStream') {
    intOption('rotate_interval');
    const when = options.rotate_when;
    if (when === undefined || !ROTATE_WHEN.test(when.trim())) {
      reasons.push(`${which}.rotate_when: invalid rotation '${when ?? ''}' (expected S, M, H, D, MIDNIGHT or W0-W6)`);
    }
  }
  return reasons;
}
