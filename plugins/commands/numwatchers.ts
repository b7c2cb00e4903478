import { answered, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';

/** `numwatchers` (spec 2.13): plugin facades count, as Circus's plugin watchers do. */
export function numwatchersCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'numwatchers',
    properties: [],
    readsProperties: false,
    execute: async () => answered({ numwatchers: d.arbiter.units.length }),
  };
}
