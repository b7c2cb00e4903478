import { answered, ArgumentError, CommandError, started, type CommandDefinition, type WatcherOptions, pyStrRepr } from '../../kernel';
import type { CommandDeps } from './deps';
import { checkAddForOwner } from './endpoint-owner';
import { livePids, pidDiff, truthy } from './props';
import { validateOptions } from './validate-options';

/** Turns validated `add` options into embedding watcher options (streams, hooks, rlimits folded). */
export function watcherOptionsOf(name: string, cmd: string, args: unknown, options: Record<string, unknown>): WatcherOptions {
  const out: Record<string, unknown> = { name, cmd };
  if (args !== undefined && args !== null) out.args = Array.isArray(args) ? args.map(String) : String(args);
  const rlimits: Record<string, number> = {};
  const streams: Record<'stdout_stream' | 'stderr_stream', Record<string, string>> = { stdout_stream: {}, stderr_stream: {} };
  const hooks: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (key.startsWith('rlimit_')) rlimits[key.slice(7).toLowerCase()] = value === null ? -1 : Number(value);
    else if (key === 'stdout_stream' || key === 'stderr_stream') {
      for (const [k, v] of Object.entries(value as object)) streams[key][k] = String(v);
    } else if (key.startsWith('stdout_stream.') || key.startsWith('stderr_stream.')) {
      streams[key.slice(0, 13) as 'stdout_stream'][key.slice(14)] = String(value);
    } else if (key === 'hooks') Object.assign(hooks, value);
    else if (key.startsWith('hooks.')) hooks[key.slice(6)] = value;
    else if (key === 'uid' || key === 'gid') out[key] = String(value);
    else out[key] = value;
  }
  if (Object.keys(rlimits).length > 0) out.rlimits = rlimits;
  if (Object.keys(hooks).length > 0) {
    out.hooks = Object.fromEntries(Object.entries(hooks).map(([k, v]) => {
      const [spec, ignore] = String(v).split(',');
      return [k, [spec.trim(), ['1', 'true', 'yes', 'on'].includes((ignore ?? '').trim().toLowerCase())]];
    }));
  }
  out.stdout_stream = streams.stdout_stream;
  out.stderr_stream = streams.stderr_stream;
  return out as WatcherOptions;
}

/**
 * `add` (spec 2.1): validates everything first (name and cmd non-empty
 * strings, the options table of 2.0, the endpoint_owner rules of
 * endpoint-owner.ts), then registers the
 * watcher stopped (event `add`); with `start` it starts in the background
 * and the waited result is `{started, kept}` at top level.
 */
export function addCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'add',
    properties: ['name', 'cmd'],
    execute: async (props) => {
      const { name, cmd } = props;
      if (typeof name !== 'string' || name === '') throw new ArgumentError(`'name' must be a non-empty string`);
      if (typeof cmd !== 'string' || cmd === '') throw new ArgumentError(`'cmd' must be a non-empty string`);
      const options = props.options === undefined ? {} : validateOptions(props.options);
      await checkAddForOwner(d.config, options);
      if (d.arbiter.find(name)) throw new CommandError(`${pyStrRepr(name)} already exist`);
      const spec = watcherOptionsOf(name, cmd, props.args, options);
      const release = d.lock.acquire('arbiter_add_watcher');
      let w;
      try {
        w = d.arbiter.insertWatcher(spec, { runtime: true });
      } catch (err) {
        release();
        throw err;
      }
      if (!truthy(props.start)) {
        release();
        return answered({});
      }
      const watcher = w;
      const work = (async () => {
        const before = livePids(watcher);
        await watcher.start();
        const { started: fresh, kept } = pidDiff(before, livePids(watcher));
        return { started: fresh, kept };
      })();
      return started(work.finally(release));
    },
  };
}
