import { answered, ArgumentError, CommandError, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { extraOptions, standardOptions } from './options-view';
import { watcherOf } from './props';

/**
 * `get` (spec 2.4): the requested options in request order. An unknown key
 * fails the whole request (errno 3); a free-form extra fails as in Circus,
 * which reads it as a watcher attribute (errno 5).
 */
export function getCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'get',
    properties: ['name', 'keys'],
    execute: async (props) => {
      const w = watcherOf(d.arbiter, props);
      const keys = props.keys;
      if (!Array.isArray(keys)) throw new ArgumentError(`'keys' must be a list of option names`);
      const standard = standardOptions(d.arbiter, w);
      const extras = extraOptions(d.arbiter, w);
      const options: Record<string, unknown> = {};
      for (const key of keys) {
        const k = String(key);
        if (k in standard) options[k] = standard[k];
        else if (k in extras) throw new CommandError(`'Watcher' object has no attribute '${k}'`);
        else throw new ArgumentError(`'${k}' option not found`);
      }
      return answered({ options });
    },
  };
}
