import type { CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { resizeCommand } from './resize';

/** `incr` (spec 2.6, 2.2): adds `nb` processes (default 1). */
export function incrCommand(d: CommandDeps): CommandDefinition {
  return resizeCommand(d, 'incr');
}
