import { deepFreeze, watcherDefaults } from '../../config/index';
import { WatcherRecord } from '../../config/model';
import { HookSpec } from '../hooks/hook-types';

/**
 * User-friendly watcher options for embedding: any WatcherRecord key, with
 * `args`/`shell_args` also accepted as lists (each element substituted, not
 * split, as Circus's programmatic API allows), plus free-form keys.
 */
export type WatcherOptions = {
  readonly name: string;
  readonly cmd: string;
  readonly args?: string | readonly string[];
  readonly shell_args?: string | readonly string[];
  /** Hook specs as in the INI, or functions (`fn` or `[fn, ignoreFailure]`). */
  readonly hooks?: Readonly<Record<string, HookSpec>>;
} & Partial<Omit<WatcherRecord, 'name' | 'cmd' | 'args' | 'hooks' | '__name__'>> & { readonly [key: string]: unknown };

/**
 * Turns embedding options into a frozen WatcherRecord with the spec
 * defaults, the same shape the INI loader produces, so both paths build
 * watchers through one construction step.
 */
export function watcherRecord(options: WatcherOptions): WatcherRecord {
  const record: Record<string, unknown> = {
    ...watcherDefaults(options.name),
    ...options,
    __name__: `watcher:${options.name}`,
  };
  for (const key of ['rlimits', 'stdout_stream', 'stderr_stream', 'hooks', 'env']) {
    record[key] = { ...(record[key] as object) };
  }
  if (Array.isArray(record.args)) record.args = [...(record.args as string[])];
  if (Array.isArray(record.shell_args)) record.shell_args = [...(record.shell_args as string[])];
  return deepFreeze(record as unknown as WatcherRecord);
}
