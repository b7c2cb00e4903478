/** Every circusctl command, by name (spec/protocol.md section 2). */
import type { CtlCommand } from '../command';
import { addCommand } from './add';
import { decrCommand } from './decr';
import { dstatsCommand } from './dstats';
import { getCommand } from './get';
import { globaloptionsCommand } from './globaloptions';
import { incrCommand } from './incr';
import { ipythonCommand } from './ipython';
import { keygenCommand } from './keygen';
import { killCommand } from './kill';
import { listCommand } from './list';
import { listenCommand } from './listen';
import { listsocketsCommand } from './listsockets';
import { numprocessesCommand } from './numprocesses';
import { numwatchersCommand } from './numwatchers';
import { optionsCommand } from './options';
import { quitCommand } from './quit';
import { reloadCommand } from './reload';
import { reloadconfigCommand } from './reloadconfig';
import { restartCommand } from './restart';
import { rmCommand } from './rm';
import { setCommand } from './set';
import { signalCommand } from './signal';
import { startCommand } from './start';
import { statsCommand } from './stats';
import { statusCommand } from './status';
import { stopCommand } from './stop';

/**
 * In Circus's registration order (its `get_commands()` dict), which is the
 * order argparse lists them in an `invalid choice` error; keygen, ours, last.
 */
const ALL: readonly CtlCommand[] = [
  addCommand, incrCommand, decrCommand, dstatsCommand, getCommand, globaloptionsCommand, ipythonCommand,
  killCommand, listCommand, listenCommand, listsocketsCommand, numprocessesCommand, numwatchersCommand,
  optionsCommand, quitCommand, reloadCommand, reloadconfigCommand, restartCommand, rmCommand, signalCommand,
  setCommand, startCommand, statsCommand, statusCommand, stopCommand, keygenCommand,
];

/** Name -> command. */
export const COMMANDS: ReadonlyMap<string, CtlCommand> = new Map(ALL.map((c) => [c.name, c]));

/** The command names sorted (help, completion). */
export const COMMAND_NAMES: readonly string[] = ALL.map((c) => c.name).sort();
