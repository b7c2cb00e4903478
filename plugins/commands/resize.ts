/** What `incr` and `decr` share (spec 2.2). */
import { answered, ArgumentError, started, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { has, watcherOf } from './props';

/**
 * Builds `incr` (sign +1) or `decr` (sign -1): the target count moves by
 * `nb` (default 1), clamped at 0; a singleton answers at once with its
 * count unchanged. Waited result `{numprocesses: <new value>}`.
 */
export function resizeCommand(d: CommandDeps, name: 'incr' | 'decr'): CommandDefinition {
  const sign = name === 'incr' ? 1 : -1;
  return {
    name,
    properties: ['name'],
    execute: async (props) => {
      const w = watcherOf(d.arbiter, props);
      const nb = has(props, 'nb') ? props.nb : 1;
      // Circus fails later in the background (a silent `ok`); refusing now is clearer.
      if (typeof nb !== 'number' || !Number.isInteger(nb)) throw new ArgumentError(`'nb' isn't an integer`);
      if (w.options().singleton) return answered({ numprocesses: w.numprocesses, singleton: true });
      return started(d.lock.hold(`watcher_${name}`, async () => ({ numprocesses: await w.setNumprocesses(w.numprocesses + sign * nb) })));
    },
  };
}
