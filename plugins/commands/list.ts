import { answered, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { has, livePids, unitOf } from './props';

/** `list` (spec 2.9): lower-cased sorted watcher names (plugin facades included), or the live pids of one. */
export function listCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'list',
    properties: [],
    execute: async (props) => {
      if (has(props, 'name')) return answered({ pids: livePids(unitOf(d.arbiter, props)) });
      return answered({ watchers: d.arbiter.units.map((w) => w.name.toLowerCase()).sort() });
    },
  };
}
