import { answered, ArgumentError, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';

const KEYS = ['endpoint', 'stats_endpoint', 'pubsub_endpoint', 'check_delay', 'multicast_endpoint'] as const;

/**
 * `globaloptions` (spec 2.5): the five arbiter options in Circus's order,
 * or the one named by `option` (singular, as Circus's code reads it).
 */
export function globaloptionsCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'globaloptions',
    properties: [],
    execute: async (props) => {
      const c = d.config;
      const all: Record<string, unknown> = {
        endpoint: c.endpoint,
        stats_endpoint: c.stats_endpoint,
        pubsub_endpoint: c.pubsub_endpoint,
        check_delay: c.check_delay,
        multicast_endpoint: c.multicast_endpoint,
      };
      const option = props.option;
      if (option === undefined || option === null || option === '') return answered({ options: all });
      if (typeof option !== 'string' || !(KEYS as readonly string[]).includes(option)) {
        throw new ArgumentError(`'${String(option)}' not an existing option`);
      }
      return answered({ options: { [option]: all[option] } });
    },
  };
}
