import { CommandError, resolveUser, started, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { checkSetForOwner } from './endpoint-owner';
import { watcherOf } from './props';
import { validateOptions } from './validate-options';

/** Keys Circus validates, announces (`updated`) and then ignores (spec 2.20). */
function ignored(key: string): boolean {
  return ['copy_env', 'retry_in', 'max_retry', 'respawn', 'singleton'].includes(key) || key.startsWith('close_child_') || key.startsWith('rlimit_');
}

/** `set` values in the kernel's key form: `hooks` and whole stream objects become dotted keys. */
function flatten(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (key === 'hooks' || key === 'stdout_stream' || key === 'stderr_stream') {
      for (const [k, v] of Object.entries(value as object)) out[`${key}.${k}`] = v;
    } else out[key] = value;
  }
  return out;
}

/**
 * `set` (spec 2.20, daemon 2.16): validation (before the lookup), the
 * endpoint_owner rules (endpoint-owner.ts), then
 * every change is checked on a copy so a bad one leaves all options as
 * they were; then stored with one `updated` per key, and the follow-up
 * (reload or process management) runs in the background under
 * `watcher_do_action`.
 */
export function setCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'set',
    properties: ['name', 'options'],
    execute: async (props) => {
      const options = validateOptions(props.options);
      const w = watcherOf(d.arbiter, props);
      await checkSetForOwner(d.config, w, options);
      if (typeof options.numprocesses === 'number' && options.numprocesses > 1 && w.options().singleton) {
        throw new CommandError('Singleton watcher has a single process');
      }
      if (options.uid !== undefined) {
        try {
          await resolveUser(String(options.uid));
        } catch {
          throw new CommandError(`'${String(options.uid)}' isn't a valid user name`);
        }
      }
      const changes = flatten(Object.fromEntries(Object.entries(options).filter(([k]) => !ignored(k))));
      const skipped = Object.keys(options).filter(ignored);
      const applied = d.lock.hold('watcher_set_opt', async () => w.applyOptions(changes));
      const result = await applied;
      for (let i = 0; i < skipped.length; i += 1) d.arbiter.bus.emit('updated', w.name, { time: Date.now() / 1000 });
      return started(d.lock.hold('watcher_do_action', async () => {
        await w.completeSet(result);
        return {};
      }));
    },
  };
}
