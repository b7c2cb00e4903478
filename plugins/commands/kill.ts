import { ArgumentError, NotFoundError, started, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { has, nameOf } from './props';
import { toPid, toSignum } from './signum';

function seconds(value: unknown): number {
  // circusctl sends it as a string: coerced here (Circus fails on it, spec 2.8).
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0) throw new ArgumentError(`'graceful_timeout' isn't a number`);
  return n;
}

/**
 * `kill` (spec 2.8): graceful kill of every process of the watcher (or of
 * `pid`) with `signum` and `graceful_timeout` overriding the watcher's,
 * SIGKILL after it; the watcher stays up and respawns them. No lock.
 * Circus's quirk is kept: an unknown watcher fails in the background
 * (`ok`, or errno 6 when waiting).
 */
export function killCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'kill',
    properties: ['name'],
    execute: async (props) => {
      const name = nameOf(props);
      const pid = has(props, 'pid') ? toPid(props.pid) : undefined;
      const signum = has(props, 'signum') ? toSignum(props.signum) : undefined;
      const gracefulTimeout = has(props, 'graceful_timeout') ? seconds(props.graceful_timeout) : undefined;
      const work = async (): Promise<Record<string, never>> => {
        const w = d.arbiter.find(name);
        if (!w) throw new NotFoundError('watcher', name);
        await w.killProcesses({ pid, signum, gracefulTimeout });
        return {};
      };
      return started(work());
    },
  };
}
