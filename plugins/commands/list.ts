import { answered, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { has, livePids, watcherOf } from './props';

/** `list` (spec 2.9): lower-cased sorted watcher names, or the live pids of one watcher. */
export function listCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'list',
    properties: [],
    execute: async (props) => {
      if (has(props, 'name')) return answered({ pids: livePids(watcherOf(d.arbiter, props)) });
      return answered({ watchers: d.arbiter.watchers.map((w) => w.name.toLowerCase()).sort() });
    },
  };
}
