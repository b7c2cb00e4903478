import { answered, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { has, unitOf } from './props';

/**
 * `status` (spec 2.24): with a name the state replaces `"ok"` in the
 * reply's `status` (Circus's collision quirk); without, every state keyed
 * by the name as given, in creation order.
 */
export function statusCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'status',
    properties: [],
    execute: async (props) => {
      if (has(props, 'name')) return answered({ status: unitOf(d.arbiter, props).status });
      const statuses: Record<string, string> = {};
      for (const w of d.arbiter.units) statuses[w.name] = w.status;
      return answered({ statuses });
    },
  };
}
