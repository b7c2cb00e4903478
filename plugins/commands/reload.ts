import { started, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { flag, has, livePids, pidDiff, watcherOf } from './props';

/**
 * `reload` (spec 2.16): graceful by default; with a name, that watcher
 * (waited result `{info: {stopped, started, kept}}`), else every watcher
 * by priority, stopped ones started too (lock `arbiter_reload`).
 */
export function reloadCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'reload',
    properties: [],
    execute: async (props) => {
      const opts = { graceful: flag(props, 'graceful', true), sequential: flag(props, 'sequential', false) };
      if (has(props, 'name')) {
        const w = watcherOf(d.arbiter, props);
        return started(
          d.lock.hold('watcher_reload', async () => {
            const before = livePids(w);
            await w.reload(opts);
            return { info: pidDiff(before, livePids(w)) };
          }),
        );
      }
      return started(d.lock.hold('arbiter_reload', async () => {
        await d.arbiter.reloadWatchers(opts);
        return {};
      }));
    },
  };
}
