import { started, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { targetsOf } from './match';
import { livePids, pidDiff } from './props';

/**
 * `restart` (spec 2.18): one matched watcher (waited result
 * `{info: {stopped, started, kept}}`); several: all stopped, then the
 * autostart ones started; no name: the whole arbiter restarts (7.4.2),
 * the caller (circusd) rebuilding it from the configuration file.
 */
export function restartCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'restart',
    properties: [],
    execute: async (props) => {
      const targets = targetsOf(d.arbiter, props);
      if (!targets) return started(d.arbiter.shutdownNow('restart').then(() => ({})));
      if (targets.length === 1) {
        const w = targets[0];
        return started(
          d.lock.hold('watcher_restart', async () => {
            const before = livePids(w);
            await w.restart();
            return { info: pidDiff(before, livePids(w)) };
          }),
        );
      }
      return started(
        d.lock.hold('arbiter_restart', async () => {
          await d.arbiter.stopWatchers(targets);
          await d.arbiter.startWatchers(targets);
          return {};
        }),
      );
    },
  };
}
