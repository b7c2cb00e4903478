import { started, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { truthy, watcherOf } from './props';

/**
 * `rm` (spec 2.19): unregisters the watcher at once (event `remove`, so
 * list/numwatchers reflect it), then stops it in the background under
 * `arbiter_rm_watcher`; with `nostop` its processes keep running unmanaged.
 */
export function rmCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'rm',
    properties: ['name'],
    execute: async (props) => {
      const w = watcherOf(d.arbiter, props);
      const nostop = truthy(props.nostop);
      return started(d.lock.hold('arbiter_rm_watcher', async () => {
        await d.arbiter.detachWatcher(w, { nostop });
        return {};
      }));
    },
  };
}
