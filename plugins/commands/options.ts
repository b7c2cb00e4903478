import { answered, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { allOptions } from './options-view';
import { watcherOf } from './props';

/** `options` (spec 2.14): every option of a watcher, keys sorted. */
export function optionsCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'options',
    properties: ['name'],
    execute: async (props) => answered({ options: allOptions(d.arbiter, watcherOf(d.arbiter, props)) }),
  };
}
