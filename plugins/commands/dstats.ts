import { answered, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';

/** `dstats` (spec 2.3): circusd's own process info from the shared sampler, CPU sampled over 10 ms. */
export function dstatsCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'dstats',
    properties: [],
    readsProperties: false,
    execute: async () => answered({ info: await d.processInfo.self() }),
  };
}
