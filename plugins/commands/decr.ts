import type { CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { resizeCommand } from './resize';

/** `decr` (spec 2.2): removes `nb` processes (default 1), the oldest first, not below 0. */
export function decrCommand(d: CommandDeps): CommandDefinition {
  return resizeCommand(d, 'decr');
}
