/**
 * How the commander-based programs (circusd, circushttpd) end their argument
 * parsing: --help and --version exit 0, a usage error exits 2 (argparse's
 * code, which Circus users script against); commander has already printed.
 */
import { Command, CommanderError } from 'commander';

/** Parses user `argv` with `program`; null when parsing went on, else the exit code to end with. */
export function parseOrExit(program: Command, argv: readonly string[]): number | null {
  try {
    program.parse([...argv], { from: 'user' });
    return null;
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
      return ok ? 0 : 2;
    }
    throw error;
  }
}
