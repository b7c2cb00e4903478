/**
 * circusctl from argv to exit status (spec/protocol.md section 3): parse,
 * bash completion, one command, `--help`, or the interactive shell.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { EarlyExit, type ParsedArgs, UsageError, parseArguments } from './argparse';
import { COMMANDS, COMMAND_NAMES } from './commands/index';
import { autocomplete } from './completion';
import { Controller } from './controller';
import { VERSION, globalHelp } from './help-text';
import { ClientSession, type CtlIo } from './session';
import { runShell } from './shell';

/** Everything circusctl touches outside itself. */
export interface CtlEnvironment {
  readonly io: CtlIo;
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: Readable;
  readonly stdout: Writable;
  /** Fires on Ctrl-C (SIGINT). */
  readonly interrupt: AbortSignal;
}

/** Where the shell keeps its history: $CIRCUSCTL_HISTORY_FILE, else ~/.circusctl_history. */
export function historyFile(env: NodeJS.ProcessEnv): string {
  return env.CIRCUSCTL_HISTORY_FILE || path.join(os.homedir(), '.circusctl_history');
}

function parse(argv: readonly string[], e: CtlEnvironment): ParsedArgs | number {
  try {
    return parseArguments(argv, COMMANDS);
  } catch (error) {
    if (error instanceof UsageError) {
      e.io.err(error.text());
      return 2;
    }
    if (error instanceof EarlyExit) {
      e.io.out(error.output);
      return 0;
    }
    throw error;
  }
}

/** Runs circusctl with `argv` (without the program name); resolves with the exit status. */
export async function runCircusctl(argv: readonly string[], e: CtlEnvironment): Promise<number> {
  const parsed = parse(argv, e);
  if (typeof parsed === 'number') return parsed;
  const completion = autocomplete(e.env, COMMAND_NAMES);
  if (completion !== undefined) {
    e.io.out(completion);
    return 1;
  }
  if (parsed.command === undefined && parsed.globals.help) {
    e.io.out(globalHelp(COMMANDS.values()));
    return 0;
  }
  const session = new ClientSession(parsed.globals, e.env, e.io);
  const controller = new Controller(parsed.globals, session, e.io, e.interrupt);
  try {
    if (parsed.command !== undefined) return await controller.run(parsed);
    e.io.out(`${VERSION}\n`);
    await controller.run({ ...parsed, command: COMMANDS.get('status'), args: [], switches: {} });
    return await runShell({
      input: e.stdin,
      output: e.stdout,
      terminal: e.io.stdinIsTTY && e.io.stdoutIsTTY,
      commands: COMMANDS,
      historyFile: historyFile(e.env),
      interrupt: e.interrupt,
      execute: async (words) => {
        const line = parse(words, e);
        if (typeof line === 'number') return line;
        await controller.run(line);
        return undefined;
      },
      watchers: async () => {
        const reply = await (await session.get()).call('list', {});
        return Array.isArray(reply.watchers) ? reply.watchers.map(String) : [];
      },
    });
  } finally {
    await session.close();
  }
}
