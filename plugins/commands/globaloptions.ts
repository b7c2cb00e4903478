import { answered, ArgumentError, type CommandDefinition } from '../../kernel';
import { exposureWarnings } from '../../protocol/endpoint-exposure';
import type { CommandDeps } from './deps';

const KEYS = ['endpoint', 'stats_endpoint', 'pubsub_endpoint', 'check_delay', 'multicast_endpoint'] as const;

/**
 * `globaloptions` (spec 2.5): the five arbiter options in Circus's order,
 * or the one named by `option` (singular, as Circus's code reads it).
 * With `publish_output` on, the reply also carries a top-level
 * `"publish_output": true` (a circus-ts extension: how a client learns that
 * child output is on pubsub); `options` stays Circus's, and with the
 * option off the reply is Circus's exactly. When an endpoint is bound
 * beyond loopback without CURVE, a top-level `"warnings": [...]` says so
 * (circus-ts, issue 9); absent when there is nothing to say.
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
      const warnings = exposureWarnings(c);
      const extension = { ...(c.publish_output ? { publish_output: true } : {}), ...(warnings.length > 0 ? { warnings } : {}) };
      const option = props.option;
      if (option === undefined || option === null || option === '') return answered({ options: all, ...extension });
      if (typeof option !== 'string' || !(KEYS as readonly string[]).includes(option)) {
        throw new ArgumentError(`'${String(option)}' not an existing option`);
      }
      return answered({ options: { [option]: all[option] }, ...extension });
    },
  };
}
