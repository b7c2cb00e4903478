import { started, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { targetsOf } from './match';
import { livePids, pidDiff } from './props';

/**
 * `start` (spec 2.18): one matched watcher is started whatever its
 * autostart (waited result `{info: {started, kept}}`); several, or all
 * without a name, start only their autostart ones by priority.
 */
export function startCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'start',
    properties: [],
    execute: async (props) => {
      const targets = targetsOf(d.arbiter, props);
      if (targets && targets.length === 1) {
        const w = targets[0];
        return started(
          d.lock.hold('watcher_start', async () => {
            const before = livePids(w);
            await w.start();
            const { started: fresh, kept } = pidDiff(before, livePids(w));
            return { info: { started: fresh, kept } };
          }),
        );
      }
      const list = targets ?? d.arbiter.units;
      return started(d.lock.hold('arbiter_start_watchers', async () => {
        await d.arbiter.startWatchers(list);
        return {};
      }));
    },
  };
}
