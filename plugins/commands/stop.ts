import { started, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { targetsOf } from './match';

/**
 * `stop` (spec 2.18): one matched watcher (waited result `{info: null}`),
 * or several / all concurrently. Without a name the streams stay open
 * (spec 2.7.2); a named stop closes them.
 */
export function stopCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'stop',
    properties: [],
    execute: async (props) => {
      const targets = targetsOf(d.arbiter, props);
      if (targets && targets.length === 1) {
        const w = targets[0];
        return started(d.lock.hold('watcher_stop', async () => {
          await w.stop();
          return { info: null };
        }));
      }
      return started(
        d.lock.hold('arbiter_stop_watchers', async () => {
          if (targets) await Promise.all(targets.map((w) => w.stop()));
          else await d.arbiter.stopWatchers(d.arbiter.units);
          return {};
        }),
      );
    },
  };
}
