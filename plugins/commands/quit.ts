import { started, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';

/**
 * `quit` (spec 2.15): stops every watcher then the arbiter (lock
 * `arbiter_stop`, taken now). The waited reply goes out once the watchers
 * have stopped, before the control endpoint closes; circusd then exits 0.
 */
export function quitCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'quit',
    properties: [],
    execute: async () => started(d.arbiter.shutdownNow('quit').then(() => ({}))),
  };
}
