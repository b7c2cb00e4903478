import { answered, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { has, processCount, unitOf } from './props';

/** `numprocesses` (spec 2.12): processes tracked (not the target), of one watcher or all. */
export function numprocessesCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'numprocesses',
    properties: [],
    execute: async (props) => {
      if (has(props, 'name')) {
        return answered({ numprocesses: processCount(unitOf(d.arbiter, props)), watcher_name: props.name });
      }
      return answered({ numprocesses: d.arbiter.units.reduce((n, u) => n + processCount(u), 0) });
    },
  };
}
