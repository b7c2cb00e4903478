/**
 * The argv of circus-plugin, circus-top and circusd-stats: long options
 * with a value (`--opt V` or `--opt=V`), `--version`, `-h`/`--help`, and
 * positionals, refused the way Python's argparse refuses them (their
 * messages and exit status 2 are what Circus users see). Commander would
 * word and order these errors differently; circusctl's richer grammar has
 * its own parser (cli/circusctl/argparse.ts).
 */

/** What the command line held. */
export interface LongOptions {
  /** Values by the key the option maps to. */
  readonly values: Readonly<Record<string, string>>;
  readonly positional: readonly string[];
  readonly version: boolean;
  readonly help: boolean;
}

/**
 * Parses `argv` (without node and the script); `valued` maps each option
 * taking a value to its key. Throws `fail(message)` (an argparse-style
 * message) for an unknown option or a missing value.
 */
export function parseLongOptions(argv: readonly string[], valued: Readonly<Record<string, string>>, fail: (message: string) => Error): LongOptions {
  const values: Record<string, string> = {};
  const positional: string[] = [];
  let version = false;
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--version') version = true;
    else if (arg === '-h' || arg === '--help') help = true;
    else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const flag = eq > 0 ? arg.slice(0, eq) : arg;
      const key = Object.prototype.hasOwnProperty.call(valued, flag) ? valued[flag] : undefined;
      if (!key) throw fail(`unrecognized arguments: ${arg}`);
      if (eq > 0) values[key] = arg.slice(eq + 1);
      else {
        if (i + 1 >= argv.length) throw fail(`argument ${flag}: expected one argument`);
        values[key] = argv[++i];
      }
    } else positional.push(arg);
  }
  return { values, positional, version, help };
}
