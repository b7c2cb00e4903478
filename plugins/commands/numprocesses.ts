import { answered, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { has, watcherOf } from './props';

/** `numprocesses` (spec 2.12): processes tracked (not the target), of one watcher or all. */
export function numprocessesCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'numprocesses',
    properties: [],
    execute: async (props) => {
      if (has(props, 'name')) {
        const w = watcherOf(d.arbiter, props);
        return answered({ numprocesses: w.processes.length, watcher_name: props.name });
      }
      return answered({ numprocesses: d.arbiter.watchers.reduce((n, w) => n + w.processes.length, 0) });
    },
  };
}
